/**
 * Delivery threads for the embedded mode (`npm start`): each consumes the
 * queue's delivery lane on its own connection to the store (SQLite in WAL mode, or
 * PostgreSQL), so deliveries use every core while the main thread serves
 * HTTP and enqueues. The queue is at-least-once with leases, so several
 * consumers never deliver a message twice at once; an unfinished delivery of
 * a thread that dies returns to the queue when its lease runs out, and the
 * thread is started again. Until it consumes again, {@link DeliveryThreads.down}
 * says so (readiness).
 */
import { Worker } from "node:worker_threads";
import { getLogger } from "@logtape/logtape";
import type { DeliveryOutcome } from "../federation/delivery-tracking.ts";
import type { FromThread, ThreadSettings, ToThread } from "./protocol.ts";

const logger = getLogger(["loa", "delivery", "threads"]);

const ENTRY = new URL("./thread-main.ts", import.meta.url);
/** A thread that died is started again after this long (then twice as long, up to a minute). */
const RESTART_MS = 1_000;

export interface DeliveryThreadsOptions {
  threads: number;
  /** Each thread's share of `QUEUE_WORKERS` (see {@link share}). */
  workers: number;
  /** Each delivery's outcome, reported by the threads (the main thread's metrics). */
  observeDelivery(outcome: DeliveryOutcome, inbox: string): void;
  /** Stops the threads (each finishes the deliveries in hand). */
  signal: AbortSignal;
}

/** Started by {@link startDeliveryThreads}. */
export interface DeliveryThreads {
  /** Resolves once every thread has stopped after `signal` aborted. */
  done: Promise<void>;
  /** Why a thread is not delivering (it died and is not consuming again yet), or null. */
  down(): string | null;
}

/** Splits a per-process `total` among `n` consumers (threads), at least one each. */
export function share(total: number, n: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, n)));
}

/** Each thread that died and does not consume again yet, with why. */
type DownThreads = Map<number, string>;

export function startDeliveryThreads(options: DeliveryThreadsOptions): DeliveryThreads {
  const settings: ThreadSettings = { workers: options.workers };
  const down: DownThreads = new Map();
  const exits: Promise<void>[] = [];
  for (let i = 0; i < options.threads; i++) exits.push(keepRunning(i, settings, options, down));
  return {
    done: Promise.all(exits).then(() => undefined),
    down: () => (down.size === 0 ? null : [...down.values()].join("; ")),
  };
}

/** Runs thread `n` until the signal aborts, starting it again if it dies. */
async function keepRunning(
  n: number,
  settings: ThreadSettings,
  options: DeliveryThreadsOptions,
  down: DownThreads,
): Promise<void> {
  let delay = RESTART_MS;
  while (!options.signal.aborted) {
    const code = await runThread(n, settings, options, () => down.delete(n));
    if (options.signal.aborted) return;
    down.set(n, `delivery thread ${n} exited (code ${code}); restarting`);
    logger.error("Delivery thread {n} exited ({code}); starting it again in {ms} ms", {
      n,
      code,
      ms: delay,
    });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      options.signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
    delay = Math.min(delay * 2, 60_000);
  }
}

/** One thread's life; resolves with its exit code. */
function runThread(
  n: number,
  settings: ThreadSettings,
  options: DeliveryThreadsOptions,
  consuming: () => void,
): Promise<number> {
  const worker = new Worker(ENTRY, { workerData: settings, name: `loa-delivery-${n}` });
  const send = (message: ToThread) => worker.postMessage(message);
  const stop = () => send({ type: "stop" });
  options.signal.addEventListener("abort", stop, { once: true });
  worker.on("message", (message: FromThread) => {
    if (message.type === "outcomes") {
      for (const [outcome, inbox] of message.outcomes) options.observeDelivery(outcome, inbox);
    } else if (message.type === "consuming") {
      consuming();
      logger.debug("Delivery thread {n} consumes the delivery lane", { n });
    }
  });
  worker.on("error", (error) => {
    logger.error("Delivery thread {n} failed: {error}", { n, error });
  });
  return new Promise<number>((resolve) => {
    worker.once("exit", (code) => {
      options.signal.removeEventListener("abort", stop);
      resolve(code);
    });
  });
}
