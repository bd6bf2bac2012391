/**
 * The listen loop shared by the SQLite and PostgreSQL message queues.
 *
 * Delivery is at-least-once: a message is claimed with a lease (an expiry and a
 * fresh token), the lease is renewed while its handler runs, and the message is
 * deleted only after the handler returns. If the process dies mid-handling, the
 * lease runs out and another listener claims the message again.
 *
 * A handler that throws is logged and its message deleted, as Fedify's own
 * queues do (`InProcessMessageQueue` drops a message before handling it): with
 * `nativeRetrial` false, Fedify retries a failed task itself by enqueueing a new
 * message with a delay, so keeping the failed one would send it twice, and a
 * message that always throws would be retried forever.
 */
import { getLogger } from "@logtape/logtape";

const logger = getLogger(["loa", "storage", "queue"]);

/** Tuning shared by both queues; the defaults suit production. */
export interface QueueOptions {
  /**
   * How often an idle listener looks anyway (messages enqueued by another
   * process or handle, delayed messages coming due, a missed NOTIFY).
   * Default 200 ms on SQLite, 1 s on PostgreSQL (which is woken by NOTIFY).
   */
  pollMs?: number;
  /** How long a claim lasts unless renewed (renewed every third while handling). Default 30 s. */
  leaseMs?: number;
  /** Messages one listener handles at once. Default 4. */
  workers?: number;
}

/** A message taken from the queue under a lease. */
export interface ClaimedMessage {
  id: number;
  /** Unique to this claim: a lease renewal or deletion with a stale token does nothing. */
  token: string;
  message: unknown;
}

/** What one backend provides to {@link runListenLoop}. */
export interface QueueBackend {
  /** Claims the next ready message for `leaseMs`, or returns null if none is ready. */
  claim(token: string, leaseMs: number): Promise<ClaimedMessage | null>;
  /** Pushes the lease of a message still being handled `leaseMs` into the future. */
  extend(claimed: ClaimedMessage, leaseMs: number): Promise<void>;
  /** Deletes a handled message. */
  complete(claimed: ClaimedMessage): Promise<void>;
  /** Resolves when a message may have become ready (a wake-up or the poll interval) or on abort. */
  idle(signal: AbortSignal | undefined): Promise<void>;
}

export interface ListenLoopOptions {
  signal?: AbortSignal;
  /** How many messages this listener handles at once. */
  workers: number;
  /** How long a claim lasts without renewal; renewed every third of it. */
  leaseMs: number;
}

/**
 * Claims and handles messages until `signal` aborts, then waits for the handlers
 * still running (a clean SIGTERM drain) and resolves. Never rejects.
 */
export async function runListenLoop(
  backend: QueueBackend,
  handler: (message: unknown) => Promise<void> | void,
  options: ListenLoopOptions,
): Promise<void> {
  const { signal, workers, leaseMs } = options;
  const inFlight = new Set<Promise<void>>();
  const stop = aborted(signal);
  while (!signal?.aborted) {
    if (inFlight.size >= workers) {
      await Promise.race([...inFlight, stop]);
      continue;
    }
    let claimed: ClaimedMessage | null;
    try {
      claimed = await backend.claim(crypto.randomUUID(), leaseMs);
    } catch (error) {
      logger.error("Could not claim a queued message; will retry: {error}", { error });
      claimed = null;
    }
    if (claimed == null) {
      // A finished message can make the next one with its ordering key claimable
      // (Fedify orders deliveries per article and inbox origin): wake on that too,
      // or N inboxes on one origin would wait a poll interval per delivery.
      await Promise.race([backend.idle(signal), ...inFlight]);
      continue;
    }
    const task = handle(backend, handler, claimed, leaseMs).finally(() => inFlight.delete(task));
    inFlight.add(task);
  }
  await Promise.all(inFlight);
}

async function handle(
  backend: QueueBackend,
  handler: (message: unknown) => Promise<void> | void,
  claimed: ClaimedMessage,
  leaseMs: number,
): Promise<void> {
  const renew = setInterval(
    () => {
      backend.extend(claimed, leaseMs).catch((error: unknown) => {
        logger.warning("Could not renew the lease of message {id}: {error}", {
          id: claimed.id,
          error,
        });
      });
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  try {
    await handler(claimed.message);
  } catch (error) {
    logger.error(
      "A queued task failed and is dropped (Fedify schedules its own retries): {error}",
      {
        id: claimed.id,
        error,
      },
    );
  } finally {
    clearInterval(renew);
  }
  try {
    await backend.complete(claimed);
  } catch (error) {
    // The lease will expire and the message be handled again: at-least-once.
    logger.error("Could not delete handled message {id}; it will be redelivered: {error}", {
      id: claimed.id,
      error,
    });
  }
}

/** Resolves when `signal` aborts (never, without a signal). */
export function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal == null) return;
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/**
 * Wakes idle listeners when a message is enqueued, and otherwise lets them
 * sleep at most `pollMs` (the fallback for messages enqueued elsewhere and for
 * delayed messages coming due).
 */
export class Wakeup {
  #waiters = new Set<() => void>();
  /**
   * A wake that came while nobody waited: a listener between a claim that
   * found nothing and its wait would otherwise sleep a whole poll interval
   * past a message enqueued in that gap.
   */
  #pending = false;

  /** Wakes every waiting listener now (or the next one to wait). */
  wake(): void {
    if (this.#waiters.size === 0) {
      this.#pending = true;
      return;
    }
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const resolve of waiters) resolve();
  }

  /** Sleeps until {@link wake}, `ms` milliseconds, or `signal` aborts. */
  wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
      this.#waiters.add(done);
    });
  }
}

/** Milliseconds of a Fedify enqueue delay (a Temporal.Duration); 0 when absent or negative. */
export function delayMs(delay: { total(unit: "millisecond"): number } | undefined): number {
  if (delay == null) return 0;
  return Math.max(0, delay.total("millisecond"));
}
