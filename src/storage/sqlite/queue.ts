import type { DatabaseSync } from "node:sqlite";
import { BroadcastChannel } from "node:worker_threads";
import type {
  MessageQueue,
  MessageQueueDepth,
  MessageQueueEnqueueOptions,
  MessageQueueListenOptions,
} from "@fedify/fedify";
import type { Lane, LaneQueue } from "../lanes.ts";
import { insertBatch, queuedInserts, Wakeup } from "../queue-enqueue.ts";
import {
  type ClaimedMessage,
  type GroupedListenOptions,
  groupOptions,
  type QueueOptions,
  runListenLoop,
} from "../queue-listener.ts";
import { prepared, transaction } from "./open.ts";

/** Where a queue of one database enqueues and claims, and how its other handles are woken. */
export interface SqliteLaneOptions {
  /** Default `delivery` (see `lanes.ts`). */
  lane?: Lane;
  /**
   * Names a `BroadcastChannel` shared by the queues of one database and lane
   * in this process: a message enqueued on one thread's handle wakes the
   * listeners of the others (delivery threads) at once instead of at their
   * next poll.
   */
  wakeChannel?: string;
}

/**
 * Fedify's {@link MessageQueue} on one lane of the embedded SQLite
 * database's queue, at-least-once: a message is leased while handled and
 * deleted only afterwards (see `queue-listener.ts`). Honours `delay` and
 * `orderingKey` (ordering holds within the lane). Do not wrap it in Fedify's
 * `ParallelMessageQueue` (that acknowledges a message before handling it
 * ends); use the `workers` option instead.
 */
export class SqliteMessageQueue implements LaneQueue {
  readonly nativeRetrial = false;
  readonly #db: DatabaseSync;
  readonly #lane: Lane;
  readonly #wakeup = new Wakeup();
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #workers: number;
  readonly #channel: BroadcastChannel | null;
  readonly #batcher = insertBatch(async (items) => {
    const insert = prepared(
      this.#db,
      "INSERT INTO queue (message, ordering_key, ready_at, lane) VALUES (?, ?, ?, ?)",
    );
    const now = Date.now();
    transaction(this.#db, () => {
      for (const item of items) {
        insert.run(JSON.stringify(item.message), item.orderingKey, now + item.delayMs, this.#lane);
      }
    });
    this.#wakeup.wake();
    if (items.some((item) => item.delayMs === 0)) this.#channel?.postMessage(null);
  });

  constructor(db: DatabaseSync, options: QueueOptions = {}, lane: SqliteLaneOptions = {}) {
    this.#db = db;
    this.#lane = lane.lane ?? "delivery";
    const wakeChannel = lane.wakeChannel;
    this.#pollMs = options.pollMs ?? 200;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#workers = options.workers ?? 4;
    this.#channel = wakeChannel === undefined ? null : new BroadcastChannel(wakeChannel);
    if (this.#channel) {
      this.#channel.onmessage = () => this.#wakeup.wake();
      // Never what keeps a thread or process alive.
      this.#channel.unref();
    }
  }

  /** Stops listening for other threads' wake-ups (before the database is closed). */
  close(): void {
    this.#channel?.close();
  }

  // biome-ignore lint/suspicious/noExplicitAny: Fedify's MessageQueue declares messages as any
  async enqueue(message: any, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(
    // biome-ignore lint/suspicious/noExplicitAny: Fedify's MessageQueue declares messages as any
    messages: readonly any[],
    options?: MessageQueueEnqueueOptions,
  ): Promise<void> {
    await this.#batcher.addAll(queuedInserts(messages, options));
  }

  listen(
    // biome-ignore lint/suspicious/noExplicitAny: Fedify's MessageQueue declares messages as any
    handler: (message: any) => Promise<void> | void,
    options: MessageQueueListenOptions & GroupedListenOptions = {},
  ): Promise<void> {
    const db = this.#db;
    return runListenLoop(
      {
        claim: async (token, leaseMs, max) => claimMany(db, token, leaseMs, max, this.#lane),
        extend: async (claimed, leaseMs) => {
          prepared(db, "UPDATE queue SET lease_until = ? WHERE id = ? AND lease_token = ?").run(
            Date.now() + leaseMs,
            claimed.id,
            claimed.token,
          );
        },
        complete: async (claimed) => {
          // By id alone: if the lease lapsed and another listener took the
          // message, it has been handled once already; deleting is right.
          prepared(db, "DELETE FROM queue WHERE id IN (SELECT value FROM json_each(?))").run(
            JSON.stringify(claimed.map((c) => c.id)),
          );
          // A message held back behind one of these (same ordering key) is
          // ready now; without this it would wait for the next poll.
          this.#wakeup.wake();
        },
        release: async (claimed, delayMs) => {
          const release = prepared(
            db,
            `UPDATE queue SET lease_until = NULL, lease_token = NULL, attempts = attempts - 1,
               ready_at = ? WHERE id = ? AND lease_token = ?`,
          );
          const readyAt = Date.now() + delayMs;
          transaction(db, () => {
            for (const c of claimed) release.run(readyAt, c.id, c.token);
          });
        },
        idle: (signal) => this.#wakeup.wait(this.#pollMs, signal),
      },
      handler,
      { ...groupOptions(options), workers: this.#workers, leaseMs: this.#leaseMs },
    );
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const row = prepared(
      this.#db,
      `SELECT count(*) AS queued, coalesce(sum(ready_at <= ?1), 0) AS ready FROM queue
         WHERE lane = ?2 AND (lease_until IS NULL OR lease_until <= ?1)`,
    ).get(Date.now(), this.#lane) as { queued: number; ready: number };
    const queued = Number(row.queued);
    const ready = Number(row.ready);
    return { queued, ready, delayed: queued - ready };
  }

  /** How long, in seconds, the longest-waiting due message (ready, not leased) has been due; 0 when none is. */
  async oldestDueSeconds(): Promise<number> {
    const now = Date.now();
    const row = prepared(
      this.#db,
      `SELECT min(ready_at) AS since FROM queue
         WHERE lane = ?2 AND ready_at <= ?1 AND (lease_until IS NULL OR lease_until <= ?1)`,
    ).get(now, this.#lane) as { since: number | null };
    return row.since === null ? 0 : Math.max(0, (now - Number(row.since)) / 1000);
  }
}

/**
 * Leases the oldest ready messages of `lane`, up to `max`, in one statement
 * (SQLite runs writes one at a time, so two handles cannot take the same
 * row). A message with an ordering key waits while any earlier message of
 * its lane with that key is still in the table, leased or not: messages are
 * deleted only once handled, so that is sequential. The subquery is
 * evaluated before the update, so two messages of one key are never taken by
 * the same claim either.
 */
export function claimMany(
  db: DatabaseSync,
  token: string,
  leaseMs: number,
  max: number,
  lane: Lane = "delivery",
): ClaimedMessage[] {
  const now = Date.now();
  // The listeners poll every lane every 200 ms, and an idle lane is the usual
  // case: the UPDATE takes SQLite's write lock even when it matches nothing
  // (~35 µs a claim here, against ~7 for this read), a share of every request
  // served meanwhile (docs/performance.md, "the cost outside Node's HTTP stack").
  const due = prepared(
    db,
    `SELECT 1 FROM queue WHERE lane = ?1 AND ready_at <= ?2
       AND (lease_until IS NULL OR lease_until <= ?2) LIMIT 1`,
  ).get(lane, now);
  if (due === undefined) return [];
  const rows = prepared(
    db,
    `UPDATE queue SET lease_until = ?1, lease_token = ?2, attempts = attempts + 1
       WHERE id IN (
         SELECT q.id FROM queue q
         WHERE q.lane = ?5 AND q.ready_at <= ?3
           AND (q.lease_until IS NULL OR q.lease_until <= ?3)
           AND (q.ordering_key IS NULL OR NOT EXISTS (
             SELECT 1 FROM queue p
             WHERE p.ordering_key = q.ordering_key AND p.lane = q.lane AND p.id < q.id))
         ORDER BY q.ready_at, q.id LIMIT ?4)
       RETURNING id, message`,
  ).all(now + leaseMs, token, now, Math.max(1, Math.floor(max)), lane) as {
    id: number;
    message: string;
  }[];
  return rows
    .map((row) => ({ id: Number(row.id), token, message: JSON.parse(row.message) as unknown }))
    .sort((a, b) => a.id - b.id);
}

/** Leases the oldest ready message of `lane` (see {@link claimMany}), or returns null. */
export function claim(
  db: DatabaseSync,
  token: string,
  leaseMs: number,
  lane: Lane = "delivery",
): ClaimedMessage | null {
  return claimMany(db, token, leaseMs, 1, lane)[0] ?? null;
}
