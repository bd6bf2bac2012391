/**
 * The lanes of the durable queue: one table, a `lane` column, and one
 * `MessageQueue` per lane that enqueues into it and claims only from it, so
 * each consumer claims only the work it runs. Incoming activities (`inbox`)
 * and the WebSub hub's verifications and pushes (`hub`) need the main
 * thread's content, caches and handlers; deliveries (`delivery`: Fedify's
 * outbox and fan-out messages) run on any delivering thread. The hub's work
 * has a lane of its own so that a flood of it never waits in front of a
 * follower's delivery, nor holds a delivering worker.
 */
import type { MessageQueue, MessageQueueDepth, MessageQueueEnqueueOptions } from "@fedify/fedify";

export const LANES = ["inbox", "delivery", "hub"] as const;
export type Lane = (typeof LANES)[number];

/** A queue of one lane: Fedify's interface, and how long its oldest due message has waited. */
export interface LaneQueue extends MessageQueue {
  enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void>;
  getDepth(): Promise<MessageQueueDepth>;
  /** How long, in seconds, the longest-waiting due message (ready, not leased) has been due; 0 when none is. */
  oldestDueSeconds(): Promise<number>;
}

export type QueueLanes = Readonly<Record<Lane, LaneQueue>>;

/** The depth of every lane together (metrics, `npm run status`). */
export async function totalDepth(lanes: QueueLanes): Promise<MessageQueueDepth> {
  const depths = await Promise.all(LANES.map((lane) => lanes[lane].getDepth()));
  return depths.reduce(
    (sum, d) => ({
      queued: sum.queued + d.queued,
      ready: (sum.ready ?? 0) + (d.ready ?? 0),
      delayed: (sum.delayed ?? 0) + (d.delayed ?? 0),
    }),
    { queued: 0, ready: 0, delayed: 0 },
  );
}

/** The longest wait of a due message in any lane, in seconds. */
export async function oldestDueSeconds(lanes: QueueLanes): Promise<number> {
  const waits = await Promise.all(LANES.map((lane) => lanes[lane].oldestDueSeconds()));
  return Math.max(0, ...waits);
}
