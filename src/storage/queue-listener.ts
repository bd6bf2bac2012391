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
import { TurnBatch } from "./turn-batch.ts";

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
  /**
   * Claims up to `max` ready messages for `leaseMs` under one token (one
   * statement: a claim and a commit per message cost more than the delivery's
   * own bookkeeping in a fan-out), or returns none if none is ready.
   */
  claim(token: string, leaseMs: number, max: number): Promise<ClaimedMessage[]>;
  /** Pushes the lease of a message still being handled `leaseMs` into the future. */
  extend(claimed: ClaimedMessage, leaseMs: number): Promise<void>;
  /** Deletes handled messages (in one statement), and wakes listeners waiting for them. */
  complete(claimed: readonly ClaimedMessage[]): Promise<void>;
  /** Gives claimed messages back unhandled, ready again in `delayMs` (their claim uncounted). */
  release(claimed: readonly ClaimedMessage[], delayMs: number): Promise<void>;
  /** Resolves when a message may have become ready (a wake-up or the poll interval) or on abort. */
  idle(signal: AbortSignal | undefined): Promise<void>;
}

/**
 * What a caller that knows the messages may add to `listen()`'s options
 * (Fedify passes only `signal`): a group per message (say, the server a
 * delivery goes to) and how many of one group this listener handles at once.
 * A message claimed while its group is full goes back to the queue for
 * {@link GROUP_DEFER_MS} instead of taking a worker, so one slow server cannot
 * occupy every worker.
 */
export interface GroupedListenOptions {
  signal?: AbortSignal;
  groupOf?: (message: unknown) => string | null;
  perGroup?: number;
}

export interface ListenLoopOptions extends GroupedListenOptions {
  /** How many messages this listener handles at once. */
  workers: number;
  /** How long a claim lasts without renewal; renewed every third of it. */
  leaseMs: number;
}

/** The most messages one claim takes, however many workers are free. */
const MAX_CLAIM = 64;
/** How long a message of a full group waits before it can be claimed again. */
export const GROUP_DEFER_MS = 1_000;

/**
 * Claims and handles messages until `signal` aborts, then waits for the handlers
 * still running (a clean SIGTERM drain) and resolves. Never rejects.
 */
export async function runListenLoop(
  backend: QueueBackend,
  handler: (message: unknown) => Promise<void> | void,
  options: ListenLoopOptions,
): Promise<void> {
  const { signal, workers, leaseMs, groupOf, perGroup } = options;
  const inFlight = new Set<Promise<void>>();
  const groups = new Map<string, number>();
  const stop = aborted(signal);
  // The messages handled in one turn are deleted together. A message's
  // handler has returned before it joins, so a crash before the delete only
  // means it is handled again (at-least-once).
  const completer = new TurnBatch<ClaimedMessage>(async (batch) => {
    try {
      await backend.complete(batch);
    } catch (error) {
      // The leases will expire and the messages be handled again: at-least-once.
      logger.error("Could not delete {count} handled messages; they will be redelivered: {error}", {
        count: batch.length,
        ids: batch.map((c) => c.id),
        error,
      });
    }
  });
  // Woken when a handler finishes: cheaper than racing every running task
  // each time a slot frees (a fan-out runs hundreds at once).
  let slotFreed: (() => void) | null = null;
  // Claims wait for a few free workers rather than one: workers free one at
  // a time in a fan-out, and a claim per message costs as much as a claim of
  // sixteen. A quiet queue (few in flight) claims for any free worker.
  const minClaim = Math.max(1, Math.min(16, Math.floor(workers / 8)));
  while (!signal?.aborted) {
    const free = workers - inFlight.size;
    if (free <= 0 || (free < minClaim && inFlight.size > workers / 2)) {
      await Promise.race([new Promise<void>((resolve) => (slotFreed = resolve)), stop]);
      continue;
    }
    let claimed: ClaimedMessage[];
    try {
      claimed = await backend.claim(crypto.randomUUID(), leaseMs, Math.min(free, MAX_CLAIM));
    } catch (error) {
      logger.error("Could not claim a queued message; will retry: {error}", { error });
      claimed = [];
    }
    if (claimed.length === 0) {
      // A finished message can make the next one with its ordering key claimable
      // (Fedify orders deliveries per article and inbox origin): completing
      // wakes this wait, or N inboxes on one origin would wait a poll interval
      // per delivery.
      await backend.idle(signal);
      continue;
    }
    const deferred: ClaimedMessage[] = [];
    for (const message of claimed) {
      const group = perGroup === undefined ? null : (groupOf?.(message.message) ?? null);
      const inGroup = group === null ? 0 : (groups.get(group) ?? 0);
      if (group !== null && inGroup >= (perGroup ?? Number.POSITIVE_INFINITY)) {
        deferred.push(message);
        continue;
      }
      if (group !== null) groups.set(group, inGroup + 1);
      const task = handle(backend, completer, handler, message, leaseMs).finally(() => {
        inFlight.delete(task);
        if (group !== null) {
          const left = (groups.get(group) ?? 1) - 1;
          if (left > 0) groups.set(group, left);
          else groups.delete(group);
        }
        const wake = slotFreed;
        slotFreed = null;
        wake?.();
      });
      inFlight.add(task);
    }
    if (deferred.length > 0) {
      try {
        await backend.release(deferred, GROUP_DEFER_MS);
      } catch (error) {
        // Their leases run out and they come back anyway.
        logger.warning("Could not give back {count} deferred messages: {error}", {
          count: deferred.length,
          error,
        });
      }
    }
  }
  await Promise.all(inFlight);
}

async function handle(
  backend: QueueBackend,
  completer: TurnBatch<ClaimedMessage>,
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
  await completer.add(claimed);
}

/** The grouping of {@link GroupedListenOptions} out of `listen()`'s options, if any. */
export function groupOptions(options: GroupedListenOptions): GroupedListenOptions {
  return {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.groupOf && options.perGroup !== undefined
      ? { groupOf: options.groupOf, perGroup: Math.max(1, Math.floor(options.perGroup)) }
      : {}),
  };
}

/** Resolves when `signal` aborts (never, without a signal). */
export function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal == null) return;
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
