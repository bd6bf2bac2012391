/**
 * The operator's instruments for one process: readiness checks, metrics and
 * (when `METRICS_PORT` is set) the metrics listener. Built by `main.ts`.
 */
import type { MessageQueue } from "@fedify/fedify";
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { ContentSource } from "../content/types.ts";
import type { Store } from "../storage/store.ts";
import { createHealth, type Health } from "./health.ts";
import {
  type ConsumerState,
  contentCheck,
  queueCheck,
  storeCheck,
  watchConsumer,
} from "./health-checks.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { startMetricsServer } from "./metrics-server.ts";

export interface InstrumentsDeps {
  config: Pick<Config, "metricsPort" | "metricsHost">;
  store: Store;
  queue: Pick<MessageQueue, "getDepth">;
  /** The queue's oldest due message's wait, in seconds. */
  oldestDueSeconds: () => Promise<number>;
  content: ContentSource;
  clock: Clock;
  /** Whether this process consumes the delivery queue (`all`, `worker`): then readiness checks it. */
  consumes: boolean;
}

export interface Instruments {
  /**
   * Null when `METRICS_PORT` is unset: nothing could read them, and keeping
   * them costs every request (a histogram and two clock reads) and every
   * garbage collection (prom-client's observer) their share of the time the
   * serving cells have to stay within reach of a bare Node server.
   */
  metrics: Metrics | null;
  health: Health;
  /**
   * Readiness follows this consumer (the promise `listen` or `startQueue`
   * returned) and, when given, the delivery threads (`down`: why one is not
   * delivering, or null).
   */
  watchConsumer(
    listening: Promise<void>,
    signal: AbortSignal,
    threadsDown?: () => string | null,
  ): void;
  /** Where the metrics listener listens, when it does. */
  metricsAddress: string | null;
  close(): Promise<void>;
}

/** The metrics and their listener, made together: one without the other is never wanted. */
async function serveMetrics(deps: InstrumentsDeps, port: number) {
  const { store, queue, content, clock } = deps;
  const metrics = createMetrics({
    sources: {
      ...(queue.getDepth
        ? { queueDepth: async () => (await queue.getDepth?.())?.queued ?? 0 }
        : {}),
      oldestMessageAgeSeconds: deps.oldestDueSeconds,
      followers: () => store.countFollowers(),
      hubSubscribers: () => store.countSubscriptions(clock()),
      pendingModeration: () => store.countByState("pending", ["reply", "mention"]),
      contentProblems: async () => content.current().problems.length,
    },
  });
  const server = await startMetricsServer({ host: deps.config.metricsHost, port, metrics });
  return { metrics, server };
}

export async function startInstruments(deps: InstrumentsDeps): Promise<Instruments> {
  const { store, content } = deps;
  const port = deps.config.metricsPort;
  const served = port === undefined ? null : await serveMetrics(deps, port);
  let consumer: ConsumerState = {
    running: () => false,
    stoppedBecause: () => "queue consumer not started yet",
  };
  let threadsDown: () => string | null = () => null;
  const health = createHealth({
    checks: {
      store: storeCheck(store),
      content: contentCheck(() => content.current()),
      ...(deps.consumes ? { queue: () => queueCheck(consumer, threadsDown)() } : {}),
    },
  });
  const address = served?.server.address;
  return {
    metrics: served?.metrics ?? null,
    health,
    watchConsumer(listening, signal, down) {
      consumer = watchConsumer(listening, signal);
      if (down) threadsDown = down;
    },
    metricsAddress: address ? `${address.address}:${address.port}` : null,
    close: async () => {
      await served?.server.close();
    },
  };
}
