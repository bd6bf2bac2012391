/**
 * Delivery threads for the embedded mode (`npm start`): each consumes the
 * queue's delivery lane on its own connection to the store (SQLite in WAL mode, or
 * PostgreSQL), so deliveries use every core while the main thread serves
 * HTTP and enqueues. The queue is at-least-once with leases, so several
 * consumers never deliver a message twice at once; an unfinished delivery of
 * a thread that dies returns to the queue when its lease runs out, and the
 * thread is started again. Until it consumes again, {@link DeliveryThreads.down}
 * says so (readiness).
 *
 * The threads run only while there is delivering to do: each holds a whole
 * Node.js instance (about 60 MiB resident), and a town's server is idle most of
 * the day. They start when deliveries are due (at start-up, or
 * {@link DeliveryThreads.wake} after an enqueue) and stop, finishing what they
 * hold, once the lane has had nothing due for `idleMs`. The main thread
 * consumes the lane as well, so a delivery never waits for a thread.
 */
import { Worker } from "node:worker_threads";
import { getLogger } from "@logtape/logtape";
import type { DeliveryOutcome } from "../federation/delivery-tracking.ts";
import type { FromThread, ThreadSettings, ToThread } from "./protocol.ts";

const logger = getLogger(["loa", "delivery", "threads"]);

const ENTRY = new URL("./thread-main.ts", import.meta.url);
/** A thread that died is started again after this long (then twice as long, up to a minute). */
const RESTART_MS = 1_000;
/** The threads stop once the delivery lane has had nothing due for this long. */
const IDLE_MS = 60_000;
/** How often a running set of threads looks whether the lane still has work. */
const CHECK_MS = 5_000;

export interface DeliveryThreadsOptions {
  threads: number;
  /** Each thread's share of `QUEUE_WORKERS` (see {@link share}). */
  workers: number;
  /** Each delivery's outcome, reported by the threads (the main thread's metrics). */
  observeDelivery(outcome: DeliveryOutcome, inbox: string): void;
  /** Whether the delivery lane has messages due now (not leased). */
  due(): Promise<boolean>;
  /** Stops the threads (each finishes the deliveries in hand). */
  signal: AbortSignal;
  /** Nothing due for this long stops the threads (default a minute). */
  idleMs?: number;
}

/** Started by {@link startDeliveryThreads}. */
export interface DeliveryThreads {
  /** Resolves once every thread has stopped after `signal` aborted. */
  done: Promise<void>;
  /** Why a thread is not delivering (it died and is not consuming again yet), or null. */
  down(): string | null;
  /** Deliveries were enqueued, due now: start the threads unless they run. */
  wake(): void;
  /** Whether the threads run (started and not stopped for idleness). */
  running(): boolean;
}

/** Splits a per-process `total` among `n` consumers (threads), at least one each. */
export function share(total: number, n: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, n)));
}

/** Each thread that died and does not consume again yet, with why. */
type DownThreads = Map<number, string>;

export function startDeliveryThreads(options: DeliveryThreadsOptions): DeliveryThreads {
  const settings: ThreadSettings = { workers: options.workers };
  const idleMs = options.idleMs ?? IDLE_MS;
  const down: DownThreads = new Map();
  /** The running threads' idle stop, and their end; null while none run. */
  let current: { idle: AbortController; exited: Promise<void> } | null = null;
  /** Woken while the threads were stopping for idleness: start them again after. */
  let wanted = false;
  let lastDue = Date.now();

  const start = () => {
    if (options.signal.aborted) return;
    if (current) {
      lastDue = Date.now();
      if (current.idle.signal.aborted) wanted = true;
      return;
    }
    const idle = new AbortController();
    const signal = AbortSignal.any([options.signal, idle.signal]);
    const exits: Promise<void>[] = [];
    const each = { ...options, signal };
    for (let i = 0; i < options.threads; i++) exits.push(keepRunning(i, settings, each, down));
    lastDue = Date.now();
    const check = setInterval(
      () => {
        options.due().then(
          (due) => {
            if (due) lastDue = Date.now();
            else if (Date.now() - lastDue >= idleMs && !idle.signal.aborted) {
              logger.debug("Delivery lane idle; stopping the delivery threads");
              idle.abort();
            }
          },
          (error: unknown) => logger.warn("Delivery lane depth failed: {error}", { error }),
        );
      },
      Math.min(CHECK_MS, idleMs),
    );
    check.unref();
    logger.debug("Deliveries due; starting {threads} delivery threads", {
      threads: options.threads,
    });
    const exited = Promise.all(exits).then(() => {
      clearInterval(check);
      // A thread waiting to be started again is no longer expected to deliver.
      down.clear();
      current = null;
      if (wanted) {
        wanted = false;
        start();
      }
    });
    current = { idle, exited };
  };

  const done = new Promise<void>((resolve) => {
    const stopped = () => void (current?.exited ?? Promise.resolve()).then(() => resolve());
    if (options.signal.aborted) stopped();
    else options.signal.addEventListener("abort", stopped, { once: true });
  });
  // Deliveries left from before a restart (or enqueued by another process) start them at once.
  options.due().then(
    (due) => {
      if (due) start();
    },
    (error: unknown) => logger.warn("Delivery lane depth failed: {error}", { error }),
  );
  return {
    done,
    down: () => (down.size === 0 ? null : [...down.values()].join("; ")),
    wake: start,
    running: () => current !== null,
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
