/**
 * `loa_http_requests_total` and `loa_http_request_duration_seconds`, counted
 * in plain numbers and turned into samples only when Prometheus scrapes.
 *
 * Why not prom-client's Counter and Histogram: their label children still
 * validate and hash the labels on every call (~300 ns per request for the
 * pair, ~500 ns with the route mix of a real site, measured with
 * bench/serving/metrics-observe.ts), and the fast path answers a cached page in tens
 * of microseconds. Here one request is two Map lookups and a few additions.
 * The families are registered in the registry as objects with the `get()`
 * that prom-client's own metrics have, so `registry.metrics()` prints them
 * with everything else (the HTTP test parses them and runs promtool on them).
 */
import { getLogger } from "@logtape/logtape";
import type { Metric, Registry } from "prom-client";

const logger = getLogger(["loa", "operations", "metrics"]);

/** Bound on distinct `route` labels: a caller passing raw paths must not grow series forever. */
export const MAX_ROUTES = 200;

/** From a cached page (well under a millisecond) to a slow render. */
export const REQUEST_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

interface StatusCount {
  labels: { route: string; method: string; status: string };
  n: number;
}

interface Series {
  /** The labels counted under, after folding unknown methods and excess routes. */
  labels: { route: string; method: string };
  /** Observations per bucket, not cumulative; above the last bound only `count` has them. */
  buckets: Float64Array;
  sum: number;
  count: number;
  byStatus: Map<number, StatusCount>;
}

/** A sample as prom-client's registry prints it. */
interface Sample {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/** Counts requests into `registry`; returns the per-request call. */
export function createRequestMetrics(
  registry: Registry,
): (route: string, method: string, status: number, seconds: number) => void {
  const routes = new Map<string, Map<string, Series>>();
  let warned = false;

  const seriesFor = (route: string, method: string): Series => {
    let methods = routes.get(route);
    if (methods === undefined) {
      if (routes.size >= MAX_ROUTES && route !== "other") {
        if (!warned) {
          warned = true;
          logger.warning(
            "More than {max} distinct routes observed; counting new ones as 'other'. " +
              "Pass route patterns, not paths (first extra one: {route})",
            { max: MAX_ROUTES, route },
          );
        }
        return seriesFor("other", method);
      }
      methods = new Map();
      routes.set(route, methods);
    }
    let series = methods.get(method);
    if (series === undefined) {
      // A method the client made up is not remembered under its own name.
      if (!METHODS.has(method) && method !== "OTHER") return seriesFor(route, "OTHER");
      series = {
        labels: { route, method },
        buckets: new Float64Array(REQUEST_BUCKETS.length),
        sum: 0,
        count: 0,
        byStatus: new Map(),
      };
      methods.set(method, series);
    }
    return series;
  };

  const each = function* (): Generator<Series> {
    for (const methods of routes.values()) yield* methods.values();
  };

  family(registry, "loa_http_requests_total", "counter", {
    help: "HTTP requests answered, by route pattern, method and status.",
    samples: () => {
      const samples: Sample[] = [];
      for (const series of each()) {
        for (const status of series.byStatus.values()) {
          samples.push({ labels: status.labels, value: status.n });
        }
      }
      return samples;
    },
  });
  family(registry, "loa_http_request_duration_seconds", "histogram", {
    help: "Time to answer an HTTP request, by route pattern and method.",
    samples: () => {
      const samples: Sample[] = [];
      const bucket = "loa_http_request_duration_seconds_bucket";
      for (const { labels, buckets, sum, count } of each()) {
        let cumulative = 0;
        REQUEST_BUCKETS.forEach((le, i) => {
          cumulative += buckets[i] ?? 0;
          samples.push({ metricName: bucket, labels: { le, ...labels }, value: cumulative });
        });
        samples.push(
          { metricName: bucket, labels: { le: "+Inf", ...labels }, value: count },
          { metricName: "loa_http_request_duration_seconds_sum", labels, value: sum },
          { metricName: "loa_http_request_duration_seconds_count", labels, value: count },
        );
      }
      return samples;
    },
  });

  const last = REQUEST_BUCKETS.length;
  return (route, method, status, seconds) => {
    const series = seriesFor(route, method);
    let counted = series.byStatus.get(status);
    if (counted === undefined) {
      counted = { labels: { ...series.labels, status: String(status) }, n: 0 };
      series.byStatus.set(status, counted);
    }
    counted.n++;
    series.count++;
    series.sum += seconds;
    // Most answers land in the first bucket or two: a linear scan beats a search here.
    let i = 0;
    while (i < last && seconds > (REQUEST_BUCKETS[i] as number)) i++;
    if (i < last) series.buckets[i] = (series.buckets[i] ?? 0) + 1;
  };
}

/**
 * Registers a metric family whose samples are computed at scrape time.
 * prom-client's registry asks each metric for `name`, `help`, `type` and
 * `get()`; its type names only its own classes, hence the cast.
 */
function family(
  registry: Registry,
  name: string,
  type: "counter" | "histogram",
  spec: { help: string; samples: () => Sample[] },
): void {
  const metric = {
    name,
    help: spec.help,
    type,
    aggregator: "sum",
    get: async () => ({
      name,
      help: spec.help,
      type,
      aggregator: "sum",
      values: spec.samples(),
    }),
    // registry.resetMetrics() calls this; counts here only ever grow (a
    // restart is what resets them, and Prometheus's rate() handles that).
    reset: () => {},
  };
  registry.registerMetric(metric as unknown as Metric);
}
