/**
 * Prometheus metrics (docs/operations.md lists each one and what to alert on).
 * One registry per `createMetrics()` call, never prom-client's global one, so
 * tests and several servers in one process do not share counters.
 *
 * `observeRequest` runs on the fast path for every request: it counts into
 * plain numbers found through nested Maps (see `request-metrics.ts`), and
 * samples are made only at scrape time. Measured with
 * `bench/serving/metrics-observe.ts` (see docs/operations.md).
 */
import { getLogger } from "@logtape/logtape";
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { reasonOf, singleFlight, withTimeout } from "./probe.ts";
import { createRequestMetrics, MAX_ROUTES } from "./request-metrics.ts";

export { MAX_ROUTES };

const logger = getLogger(["loa", "operations", "metrics"]);

/** What became of one delivery attempt to one inbox. */
export type DeliveryOutcome = "delivered" | "failed" | "retry";

/**
 * Values read when Prometheus scrapes. Each is optional: a gauge whose source
 * is not given is not exported (a web-only process has no queue consumer to
 * speak for, say). A source that throws or hangs leaves its gauge without a
 * sample for that scrape (never a misleading 0), logs a warning and counts in
 * `loa_metrics_source_failures_total`.
 */
export interface MetricsSources {
  /** Messages waiting in the delivery queue (e.g. `(await queue.getDepth()).queued`). */
  queueDepth?: () => Promise<number>;
  /**
   * How long, in seconds, the longest-waiting message that is due (ready, not
   * leased) has been due; 0 when none is. Not its age since enqueued: a retry
   * waiting out its backoff is not late, a due message nobody takes is.
   */
  oldestMessageAgeSeconds?: () => Promise<number>;
  /** Followers of the town's actor (`store.countFollowers()`). */
  followers?: () => Promise<number>;
  /** Live WebSub subscriptions (`store.countSubscriptions(now)`). */
  hubSubscribers?: () => Promise<number>;
  /** Replies and mentions waiting for a staff decision. */
  pendingModeration?: () => Promise<number>;
  /** Content files skipped as broken (`content.current().problems.length`). */
  contentProblems?: () => Promise<number>;
}

/** Settings of {@link createMetrics}. */
export interface MetricsOptions {
  sources?: MetricsSources;
  /** How long one source may take during a scrape. Default 2000 ms (Prometheus waits 10 s). */
  sourceTimeoutMs?: number;
}

/** Made by {@link createMetrics}. */
export interface Metrics {
  /** Serve `registry.metrics()` with `registry.contentType` (see `startMetricsServer`). */
  readonly registry: Registry;
  /**
   * Counts one answered request and its duration. `route` is the route
   * pattern (`/articles/:slug`), never the raw path: each distinct value is a
   * time series. Unknown methods count as `OTHER`; past {@link MAX_ROUTES}
   * distinct routes, further ones count as `other` (and a warning is logged).
   */
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  /**
   * Counts one delivery attempt by outcome and receiving server (the inbox
   * URL's host, with its port when not the default). A `retry` also counts
   * in `loa_delivery_retries_total`.
   */
  observeDelivery(outcome: DeliveryOutcome, inbox: string | URL): void;
}

/** Bound on distinct `server` labels; beyond it, servers count as `other`. */
export const MAX_SERVERS = 10_000;

/** Builds a registry with Node's process metrics and Loa's own. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const observeRequest = createRequestMetrics(registry);
  const deliveries = new Counter({
    name: "loa_deliveries_total",
    help: "Delivery attempts to remote inboxes, by outcome and receiving server.",
    labelNames: ["outcome", "server"] as const,
    registers: [registry],
  });
  const retries = new Counter({
    name: "loa_delivery_retries_total",
    help: "Failed delivery attempts that will be retried later.",
    registers: [registry],
  });

  const servers = new Map<DeliveryOutcome, Map<string, Counter.Internal>>();
  const inboxHosts = new Map<string, string>();
  const serverOf = (inbox: string | URL): string => {
    if (typeof inbox !== "string") return inbox.host;
    let host = inboxHosts.get(inbox);
    if (host === undefined) {
      host = URL.parse(inbox)?.host || "invalid";
      if (inboxHosts.size < MAX_SERVERS) inboxHosts.set(inbox, host);
    }
    return host;
  };

  registerGauges(registry, options.sources ?? {}, options.sourceTimeoutMs ?? 2000);

  return {
    registry,
    observeRequest,
    observeDelivery(outcome, inbox) {
      let byServer = servers.get(outcome);
      if (byServer === undefined) {
        byServer = new Map();
        servers.set(outcome, byServer);
      }
      let server = serverOf(inbox);
      let counter = byServer.get(server);
      if (counter === undefined) {
        if (byServer.size >= MAX_SERVERS) server = "other";
        counter = byServer.get(server) ?? deliveries.labels(outcome, server);
        byServer.set(server, counter);
      }
      counter.inc();
      if (outcome === "retry") retries.inc();
    },
  };
}

/** The scrape-time gauges, one per supplied source. */
const GAUGES: readonly { source: keyof MetricsSources; name: string; help: string }[] = [
  {
    source: "queueDepth",
    name: "loa_queue_depth",
    help: "Messages waiting in the delivery queue (not counting those being handled).",
  },
  {
    source: "oldestMessageAgeSeconds",
    name: "loa_queue_oldest_message_age_seconds",
    help: "Seconds the longest-waiting due message has waited to be taken; 0 when none is due.",
  },
  { source: "followers", name: "loa_followers", help: "Followers of the town's actor." },
  {
    source: "hubSubscribers",
    name: "loa_hub_subscribers",
    help: "Live WebSub subscriptions to the site's feeds.",
  },
  {
    source: "pendingModeration",
    name: "loa_interactions_pending",
    help: "Replies and mentions waiting for a staff decision.",
  },
  {
    source: "contentProblems",
    name: "loa_content_problems",
    help: "Content files skipped because they are broken (see the log or npm run check-content).",
  },
];

/**
 * One read of every source per scrape: the first gauge collected starts the
 * round and every other collect (and the failure counter) awaits that same
 * round, so a failure is counted in the scrape that saw it.
 */
function registerGauges(registry: Registry, sources: MetricsSources, timeoutMs: number): void {
  const wanted = GAUGES.flatMap((gauge) => {
    const read = sources[gauge.source];
    // A hung source is not called again while its last call is pending.
    return read === undefined ? [] : [{ ...gauge, read: singleFlight(read) }];
  });
  if (wanted.length === 0) return;
  const failures = new Counter({
    name: "loa_metrics_source_failures_total",
    help: "Scrapes in which a gauge's source failed or timed out (the gauge had no sample).",
    labelNames: ["metric"] as const,
    registers: [registry],
    async collect() {
      await round();
    },
  });
  const round = singleFlight(async () => {
    const values = new Map<string, number>();
    await Promise.all(
      wanted.map(async ({ name, read, source }) => {
        try {
          const value = await withTimeout(read, timeoutMs, `metrics source ${source}`);
          if (!Number.isFinite(value)) throw new Error(`not a number: ${String(value)}`);
          values.set(name, value);
        } catch (error) {
          failures.inc({ metric: name });
          logger.warning("Metric {name} left out of this scrape: {reason}", {
            name,
            reason: reasonOf(error),
          });
        }
      }),
    );
    return values;
  });
  for (const { name, help } of wanted) {
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const value = (await round()).get(name);
        // No sample rather than a stale or zero one: "unknown" is not "empty".
        if (value === undefined) this.remove();
        else this.set(value);
      },
    });
  }
}
