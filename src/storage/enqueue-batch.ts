import type { MessageQueueEnqueueOptions } from "@fedify/fedify";
import { delayMs } from "./queue-listener.ts";

/** One message to insert, with the options it was enqueued with. */
export interface QueuedInsert {
  message: unknown;
  orderingKey: string | null;
  delayMs: number;
}

/**
 * Gathers the `enqueue` calls made in one turn of the event loop into one
 * write. Fedify enqueues an activity's deliveries one `enqueue()` call per
 * inbox whenever it passes an ordering key (ours: the article, so a Create
 * reaches a server before its Update), which for 10,000 followers was 10,000
 * transactions: on PostgreSQL the first delivery left 13 s after the article
 * appeared (bench, 2 cores). Writes run one after another, in call order, so
 * ids, and with them the order of messages sharing an ordering key, follow
 * the order of the calls. A failed write rejects every call in it.
 */
export class EnqueueBatcher {
  readonly #write: (items: QueuedInsert[]) => Promise<void>;
  readonly #maxBatch: number;
  #pending: { item: QueuedInsert; settle: (error?: unknown) => void }[] = [];
  #scheduled = false;
  #tail: Promise<void> = Promise.resolve();

  /** `write` inserts its items in one transaction, in order; at most `maxBatch` at once. */
  constructor(write: (items: QueuedInsert[]) => Promise<void>, maxBatch = 500) {
    this.#write = write;
    this.#maxBatch = maxBatch;
  }

  /** Fedify's `enqueueMany()`: resolves once `messages` are written. */
  enqueue(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    const orderingKey = options?.orderingKey ?? null;
    const delay = delayMs(options?.delay);
    return this.add(messages.map((message) => ({ message, orderingKey, delayMs: delay })));
  }

  /** Resolves once `items` are written (with whatever else was enqueued this turn). */
  add(items: readonly QueuedInsert[]): Promise<void> {
    const settled = items.map(
      (item) =>
        new Promise<void>((resolve, reject) => {
          this.#pending.push({
            item,
            settle: (error) => (error === undefined ? resolve() : reject(error)),
          });
        }),
    );
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        const batch = this.#pending;
        this.#pending = [];
        this.#tail = this.#tail.then(() => this.#flush(batch));
      });
    }
    return Promise.all(settled).then(() => undefined);
  }

  async #flush(batch: { item: QueuedInsert; settle: (error?: unknown) => void }[]): Promise<void> {
    for (let i = 0; i < batch.length; i += this.#maxBatch) {
      const chunk = batch.slice(i, i + this.#maxBatch);
      try {
        await this.#write(chunk.map((c) => c.item));
        for (const c of chunk) c.settle();
      } catch (error) {
        for (const c of chunk) c.settle(error ?? new Error("enqueue failed"));
      }
    }
  }
}
