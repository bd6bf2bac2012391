/**
 * A delivery thread (started by `threads.ts`): its own connection to the
 * store, a delivery-only Fedify, and the delivery lane of the queue consumed
 * until the main thread says stop. It never claims anything else (incoming
 * activities and the hub's work are the main thread's lanes).
 */
import { parentPort, workerData } from "node:worker_threads";
import { getLogger } from "@logtape/logtape";
import { systemClock } from "../clock.ts";
import { loadConfig } from "../config.ts";
import { createDeliveryFederation } from "../federation/delivery.ts";
import type { DeliveryOutcome } from "../federation/delivery-tracking.ts";
import { setupLogging } from "../logging.ts";
import { openStorage } from "../storage/open.ts";
import { TurnBatch } from "../storage/turn-batch.ts";
import type { FromThread, ThreadSettings, ToThread } from "./protocol.ts";

const logger = getLogger(["loa", "delivery", "thread"]);

async function run(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("thread-main.ts runs as a worker thread of main.ts");
  const settings = workerData as ThreadSettings;
  const post = (message: FromThread) => port.postMessage(message);
  const config = loadConfig();
  await setupLogging(config);
  const storage = await openStorage(config, {
    queue: { workers: settings.workers, leaseMs: config.queueLeaseMs },
  });

  // Outcomes go to the main thread's metrics in batches: one message a turn.
  const outcomes = new TurnBatch<[DeliveryOutcome, string]>((batch) =>
    post({ type: "outcomes", outcomes: batch }),
  );
  let reported: Promise<void> = Promise.resolve();
  const observeDelivery = (outcome: DeliveryOutcome, inbox: string) => {
    reported = outcomes.add([outcome, inbox]);
  };
  const abort = new AbortController();
  port.on("message", (message: ToThread) => {
    if (message.type === "stop") abort.abort();
  });

  const delivery = createDeliveryFederation({
    config,
    store: storage.store,
    kv: storage.kv,
    lanes: storage.lanes,
    clock: systemClock,
    observeDelivery,
  });
  const consuming = delivery.startQueue(abort.signal);
  post({ type: "consuming" });
  try {
    await consuming;
  } finally {
    // Handlers in hand have finished; unfinished messages stay leased and return to the queue.
    await storage.close();
  }
  await reported;
  post({ type: "stopped" });
  port.close();
  // Idle keep-alive sockets may hold the thread open; it has nothing left to do.
  setTimeout(() => process.exit(0), 1_000).unref();
}

run().catch((error: unknown) => {
  logger.error("Delivery thread failed: {error}", { error });
  // The main thread sees the exit code and starts another.
  process.exit(1);
});
