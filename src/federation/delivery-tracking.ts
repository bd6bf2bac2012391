/**
 * Where each delivery stands, for the newsroom, `npm run status` and the
 * metrics. Fedify 2.3 reports a failed attempt (`onOutboxError`, without
 * saying which message) but not a success, so the queue it is given is
 * wrapped: an outbox message enqueued is pending; handled without a failure
 * reported during its handling is delivered; with one, failed (for good when
 * it was the last attempt or a permanent 404/410, else pending its retry,
 * which Fedify enqueues itself). An AsyncLocalStorage ties each failure
 * report to the message being handled. A message Fedify's circuit breaker
 * puts back without sending (the server keeps failing) stays pending.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { MessageQueue } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Clock } from "../clock.ts";
import type { DeliveryStore } from "../storage/deliveries.ts";
import type { InteractionStore } from "../storage/interactions.ts";
import { decorateQueue } from "../storage/queue-decorator.ts";
import { TurnBatch } from "../storage/turn-batch.ts";
import { deliveryServerOf, isOutbox, type OutboxMessage } from "./message-kinds.ts";

const logger = getLogger(["loa", "federation", "deliveries"]);

export type DeliveryOutcome = "delivered" | "failed" | "retry";

export interface DeliveryTrackingDeps {
  store: DeliveryStore & Pick<InteractionStore, "isBlocked">;
  clock: Clock;
  /** Attempts Fedify makes before giving up (DELIVERY_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** HTTP statuses Fedify treats as permanent (its default: 404, 410). */
  permanentStatuses?: readonly number[];
  /** Each attempt's outcome (metrics). */
  observe?: (outcome: DeliveryOutcome, inbox: string) => void;
  /**
   * Deliveries to one server (inbox host) handled at once by one listener;
   * more wait in the queue without taking a worker. Unset: no cap.
   */
  perServer?: number;
}

export interface DeliveryTracking {
  /** The queue to hand Fedify. */
  queue: MessageQueue;
  /** To call from Fedify's `onOutboxError`. */
  failed(error: Error): void;
  /** To call when Fedify gives a delivery up for good without a failed attempt (a hold expired). */
  gaveUp(reason: string): void;
}

interface Attempt {
  error: Error | null;
  /** Given up for good whatever the attempt count. */
  final: boolean;
  /** Put back by the circuit breaker without being sent. */
  held: boolean;
}

function statusOf(error: Error): number | null {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === "number" ? status : null;
}

function reasonOf(error: Error): string {
  const status = statusOf(error);
  return status !== null ? `HTTP ${status}` : error.message.slice(0, 200);
}

export function trackDeliveries(inner: MessageQueue, deps: DeliveryTrackingDeps): DeliveryTracking {
  const current = new AsyncLocalStorage<Attempt>();
  const permanent = new Set(deps.permanentStatuses ?? [404, 410]);
  const record = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      // Bookkeeping must never fail a delivery.
      logger.warning("Could not record delivery progress: {error}", { error });
    }
  };
  // Fedify enqueues a fan-out one message at a time (it passes an ordering
  // key); the pending rows of one turn are written together, one write per
  // activity instead of one per inbox.
  const pendingRows = new TurnBatch<{ activityId: string; inbox: string }>(async (rows) => {
    const byActivity = new Map<string, string[]>();
    for (const { activityId, inbox } of rows) {
      byActivity.set(activityId, [...(byActivity.get(activityId) ?? []), inbox]);
    }
    for (const [activityId, inboxes] of byActivity) {
      await record(() => deps.store.recordPending(activityId, inboxes, deps.clock()));
    }
  });
  const pending = (messages: readonly unknown[]): Promise<void> =>
    pendingRows.addAll(
      messages.flatMap((m) =>
        isOutbox(m) && m.activityId !== undefined && m.attempt === 0 && !m.circuitHeld
          ? [{ activityId: m.activityId, inbox: m.inbox }]
          : [],
      ),
    );
  const handled = async (message: OutboxMessage, attempt: Attempt) => {
    const activityId = message.activityId;
    if (attempt.held && attempt.error === null) return;
    if (attempt.error === null) {
      deps.observe?.("delivered", message.inbox);
      if (activityId !== undefined) {
        await record(() => deps.store.recordDelivered(activityId, message.inbox, deps.clock()));
      }
      return;
    }
    const status = statusOf(attempt.error);
    const final =
      attempt.final ||
      (status !== null && permanent.has(status)) ||
      message.attempt + 1 >= deps.maxAttempts;
    deps.observe?.(final ? "failed" : "retry", message.inbox);
    if (activityId === undefined) return;
    const reason = reasonOf(attempt.error);
    await record(() =>
      deps.store.recordFailure(activityId, message.inbox, reason, final, deps.clock()),
    );
  };

  const queue = decorateQueue(inner, {
    beforeEnqueue(message) {
      if (isOutbox(message) && message.circuitHeld === true) {
        const attempt = current.getStore();
        if (attempt) attempt.held = true;
      }
    },
    enqueued: pending,
    async handle(message, next) {
      if (!isOutbox(message)) return next(message);
      // A server blocked after the activity was queued gets nothing more.
      if (await deps.store.isBlocked(message.inbox)) {
        logger.info("Not delivering {activity} to blocked {inbox}", {
          activity: message.activityId,
          inbox: message.inbox,
        });
        if (message.activityId !== undefined) {
          const activityId = message.activityId;
          await record(() =>
            deps.store.recordFailure(activityId, message.inbox, "blocked", true, deps.clock()),
          );
        }
        return;
      }
      const attempt: Attempt = { error: null, final: false, held: false };
      await current.run(attempt, () => next(message));
      await handled(message, attempt);
    },
    // Loa's own queues read these beside Fedify's `signal` (see storage/queue-listener.ts).
    listenOptions: (options) =>
      deps.perServer === undefined
        ? { ...options }
        : { ...options, groupOf: deliveryServerOf, perGroup: deps.perServer },
  });
  return {
    queue,
    failed(error) {
      const attempt = current.getStore();
      if (attempt) attempt.error = error;
    },
    gaveUp(reason) {
      const attempt = current.getStore();
      if (!attempt) return;
      attempt.error = new Error(reason);
      attempt.final = true;
    },
  };
}
