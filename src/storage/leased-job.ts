/**
 * A pass that runs on start, on every trigger (a content change) and on a periodic sweep,
 * one process at a time through the store's lease (on PostgreSQL several processes watch
 * the same content). The publisher's reconcile and the WebSub hub's distribution are both
 * one. Triggers coalesce: a trigger while a pass runs queues one more pass, however many
 * arrive. The sweep retries what a failed pass left and takes over from a holder that
 * died with its lease.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "@logtape/logtape";
import type { Store } from "./store.ts";

export interface LeasedJobOptions<T> {
  /** The lease's name in the store: one per job. */
  lease: string;
  /** How long a lease outlives a holder that died holding it. */
  leaseTtlMs: number;
  sweepIntervalMs: number;
  store: Pick<Store, "acquireLease" | "releaseLease">;
  /** What triggers a pass (the content source); `onChange` returns the unsubscribe. */
  triggers: { onChange(listener: () => void): () => void };
  /** The work, run while this process holds the lease. */
  pass(): Promise<T>;
  /** What a pass skipped (another process holds the lease) resolves with. */
  skipped(): T;
  logger: Logger;
  /** Logged with `{error}` when a triggered pass fails. */
  failureMessage: string;
  /** Logged (debug) when another process holds the lease; silent without one. */
  skippedMessage?: string;
}

export interface LeasedJob<T> {
  /** Runs a pass after the current one (joining one already waiting); resolves with its result. */
  run(): Promise<T>;
  /** Stops reacting to triggers and the sweep, and waits for a running pass. */
  close(): Promise<void>;
}

export function startLeasedJob<T>(options: LeasedJobOptions<T>): LeasedJob<T> {
  const { lease, store, logger } = options;
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
  let chain: Promise<unknown> = Promise.resolve();
  let queued: Promise<T> | null = null;
  let closed = false;

  const once = async (): Promise<T> => {
    if (!(await store.acquireLease(lease, holder, options.leaseTtlMs))) {
      if (options.skippedMessage) logger.debug(options.skippedMessage);
      return options.skipped();
    }
    try {
      return await options.pass();
    } finally {
      await store.releaseLease(lease, holder);
    }
  };
  const run = (): Promise<T> => {
    // A burst of triggers needs one pass waiting behind the current one, no more.
    if (queued) return queued;
    const next = chain.then(() => {
      queued = null;
      return once();
    });
    queued = next;
    chain = next.catch(() => {});
    return next;
  };
  const trigger = () => {
    if (closed) return;
    run().catch((error: unknown) => logger.error(options.failureMessage, { error }));
  };
  const unsubscribe = options.triggers.onChange(trigger);
  const timer = setInterval(trigger, options.sweepIntervalMs);
  timer.unref();
  trigger();
  return {
    run,
    async close() {
      closed = true;
      unsubscribe();
      clearInterval(timer);
      await chain;
    },
  };
}
