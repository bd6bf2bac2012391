/**
 * Gathers the calls made in one turn of the event loop into one write: a
 * fan-out records, enqueues and completes hundreds of messages a second, and
 * a transaction (or a message between threads) costs more than the rows it
 * carries. Callers' promises settle when their batch is written; a failed
 * write rejects every call in it. The one batcher of Loa: the queue's
 * inserts and deletes, delivery bookkeeping, and a delivery thread's reports.
 */
export interface TurnBatchOptions {
  /** At most this many items per write; a larger turn is written in several. Default: no limit. */
  maxBatch?: number;
  /**
   * Writes run one after another, in call order (a turn's write waits for
   * the previous one): the queue's inserts, whose ids must follow the order
   * of the calls. Default: each turn's write starts at once.
   */
  ordered?: boolean;
}

export class TurnBatch<T> {
  readonly #write: (items: T[]) => void | Promise<void>;
  readonly #maxBatch: number;
  readonly #ordered: boolean;
  #items: T[] = [];
  /** This turn's writes, one per chunk of `maxBatch` items, once the turn has ended. */
  #turn: Promise<Promise<void>[]> | null = null;
  #tail: Promise<void> = Promise.resolve();

  constructor(write: (items: T[]) => void | Promise<void>, options: TurnBatchOptions = {}) {
    this.#write = write;
    this.#maxBatch = Math.max(1, options.maxBatch ?? Number.POSITIVE_INFINITY);
    this.#ordered = options.ordered ?? false;
  }

  /** Resolves once `item` is written, with whatever else was added this turn. */
  add(item: T): Promise<void> {
    return this.addAll([item]);
  }

  /** Resolves once `items` are written (the chunks holding them: another chunk's failure is not theirs). */
  async addAll(items: readonly T[]): Promise<void> {
    if (items.length === 0) return;
    const from = this.#items.length;
    this.#items.push(...items);
    this.#turn ??= new Promise((resolve) => setImmediate(() => resolve(this.#flush())));
    const chunks = await this.#turn;
    const first = Math.floor(from / this.#maxBatch);
    const last = Math.floor((from + items.length - 1) / this.#maxBatch);
    await Promise.all(chunks.slice(first, last + 1));
  }

  #flush(): Promise<void>[] {
    const items = this.#items;
    this.#items = [];
    this.#turn = null;
    const chunks: Promise<void>[] = [];
    for (let i = 0; i < items.length; i += this.#maxBatch) {
      const chunk = items.slice(i, i + this.#maxBatch);
      const start = this.#ordered ? this.#tail : Promise.resolve();
      const written = start.then(() => this.#write(chunk));
      if (this.#ordered) this.#tail = written.catch(() => {});
      chunks.push(written);
    }
    return chunks;
  }
}
