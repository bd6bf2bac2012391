/**
 * Gathers the calls made in one turn of the event loop into one write: a
 * fan-out records hundreds of deliveries a second, and on SQLite each
 * transaction costs more than the rows it writes. Callers' promises settle
 * when their batch is written (a failed write rejects every call in it).
 */
export class TurnBatch<T> {
  readonly #write: (items: T[]) => void | Promise<void>;
  #items: T[] = [];
  #written: Promise<void> | null = null;

  constructor(write: (items: T[]) => void | Promise<void>) {
    this.#write = write;
  }

  add(item: T): Promise<void> {
    this.#items.push(item);
    this.#written ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        const items = this.#items;
        this.#items = [];
        this.#written = null;
        Promise.resolve()
          .then(() => this.#write(items))
          .then(resolve, reject);
      });
    });
    return this.#written;
  }
}
