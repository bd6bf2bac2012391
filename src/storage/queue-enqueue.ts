/**
 * The enqueue side of the SQLite and PostgreSQL message queues: the rows Fedify's
 * `enqueue`/`enqueueMany` insert, written together a turn of the event loop, and
 * the wake-up of the listeners idle in `runListenLoop` (`queue-listener.ts`).
 */
import type { MessageQueueEnqueueOptions } from "@fedify/fedify";
import { TurnBatch } from "./turn-batch.ts";

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

/** One message to insert, with the options it was enqueued with. */
export interface QueuedInsert {
  message: unknown;
  orderingKey: string | null;
  delayMs: number;
}

/** The rows Fedify's `enqueueMany(messages, options)` inserts. */
export function queuedInserts(
  messages: readonly unknown[],
  options?: MessageQueueEnqueueOptions,
): QueuedInsert[] {
  const orderingKey = options?.orderingKey ?? null;
  const delay = delayMs(options?.delay);
  return messages.map((message) => ({ message, orderingKey, delayMs: delay }));
}

/**
 * The `enqueue` calls of one turn of the event loop are inserted together.
 * Fedify enqueues an activity's deliveries one `enqueue()` call per inbox
 * whenever it passes an ordering key (ours: the article, so a Create reaches
 * a server before its Update), which for 10,000 followers was 10,000
 * transactions: on PostgreSQL the first delivery left 13 s after the article
 * appeared (bench, 2 cores). Writes run one after another, in call order, so
 * ids, and with them the order of messages sharing an ordering key, follow
 * the order of the calls; at most 500 rows a statement.
 */
export function insertBatch(
  write: (items: QueuedInsert[]) => Promise<void>,
): TurnBatch<QueuedInsert> {
  return new TurnBatch(write, { maxBatch: 500, ordered: true });
}
