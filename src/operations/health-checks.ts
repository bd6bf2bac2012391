/**
 * The readiness checks Loa's processes use: the store answers, the content is
 * loaded, the queue is being consumed. Each is a {@link HealthCheck} for
 * `createHealth({ checks })`.
 */
import type { ContentSnapshot } from "../content/types.ts";
import type { Store } from "../storage/store.ts";
import type { HealthCheck } from "./health.ts";

const OK = Object.freeze({ ok: true }) as { ok: true };

/**
 * The store answers a trivial query (the follower count: one indexed count,
 * well under a millisecond for thousands of followers). A closed or
 * unreachable database fails with the driver's message.
 */
export function storeCheck(store: Pick<Store, "countFollowers">): HealthCheck {
  return async () => {
    await store.countFollowers();
    return OK;
  };
}

/**
 * The content has been loaded. `current` gives the latest snapshot, or null
 * while the first load is still running. Broken files do not fail the check:
 * they are skipped and everything else is served (they show in metrics).
 */
export function contentCheck(current: () => ContentSnapshot | null): HealthCheck {
  return async () => {
    const snapshot = current();
    if (snapshot === null) return { ok: false, reason: "content not loaded yet" };
    return OK;
  };
}

/** Whether this process's queue consumer is still running; see {@link watchConsumer}. */
export interface ConsumerState {
  running(): boolean;
  /** Why it stopped, once it has. */
  stoppedBecause(): string | null;
}

/**
 * Follows the promise `queue.listen(handler, { signal })` returns: running
 * until it settles. A consumer that ended without being asked to (its signal
 * not aborted) means deliveries stopped in this process.
 */
export function watchConsumer(listening: Promise<void>, signal?: AbortSignal): ConsumerState {
  let stopped: string | null = null;
  listening.then(
    () => {
      stopped = signal?.aborted ? "queue consumer stopped (shutting down)" : "queue consumer ended";
    },
    (error: unknown) => {
      stopped = `queue consumer failed: ${error instanceof Error ? error.message : String(error)}`;
    },
  );
  return { running: () => stopped === null, stoppedBecause: () => stopped };
}

/**
 * The queue is being consumed by this process. Only for processes that
 * deliver (`all`, `worker`); a backlog is load, not a fault, so it is left to
 * the metrics (`loa_queue_oldest_message_age_seconds`) rather than taking a
 * busy process out of service.
 */
export function queueCheck(
  consumer: ConsumerState,
  /** Why one of this process's delivery threads is not delivering, or null. */
  threadsDown: () => string | null = () => null,
): HealthCheck {
  return async () => {
    if (!consumer.running()) {
      return { ok: false, reason: consumer.stoppedBecause() ?? "queue consumer not running" };
    }
    const down = threadsDown();
    return down === null ? OK : { ok: false, reason: down };
  };
}
