/** The messages between the main thread and its delivery threads (structured-cloned). */
import type { DeliveryOutcome } from "../federation/delivery-tracking.ts";

/** What a delivery thread is started with (`workerData`). */
export interface ThreadSettings {
  /** Its share of `QUEUE_WORKERS`. */
  workers: number;
}

/** Thread → main. */
export type FromThread =
  /** Delivery outcomes since the last report, for the metrics. */
  | { type: "outcomes"; outcomes: [DeliveryOutcome, string][] }
  /** The thread consumes the delivery lane. */
  | { type: "consuming" }
  /** The thread finished its deliveries in hand and closed its store. */
  | { type: "stopped" };

/** Main → thread. */
export type ToThread = { type: "stop" };
