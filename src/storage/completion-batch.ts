import { getLogger } from "@logtape/logtape";
import type { ClaimedMessage, QueueBackend } from "./queue-listener.ts";

const logger = getLogger(["loa", "storage", "queue"]);

/**
 * Deletes the messages handled in one turn of the event loop together. A
 * message's handler has returned before it joins, so a crash before the
 * delete only means it is handled again (at-least-once).
 */
export class CompletionBatch {
  readonly #backend: QueueBackend;
  #pending: ClaimedMessage[] = [];
  #flushed: Promise<void> | null = null;

  constructor(backend: QueueBackend) {
    this.#backend = backend;
  }

  complete(claimed: ClaimedMessage): Promise<void> {
    this.#pending.push(claimed);
    this.#flushed ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        const batch = this.#pending;
        this.#pending = [];
        this.#flushed = null;
        this.#backend.complete(batch).then(resolve, (error: unknown) => {
          // The leases will expire and the messages be handled again: at-least-once.
          logger.error(
            "Could not delete {count} handled messages; they will be redelivered: {error}",
            {
              count: batch.length,
              ids: batch.map((c) => c.id),
              error,
            },
          );
          resolve();
        });
      });
    });
    return this.#flushed;
  }
}
