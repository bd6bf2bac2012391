/**
 * Prometheus scrapes for the metrics tests: a real metrics server on
 * loopback, fetched over HTTP, its body parsed with parse-prometheus-text-format.
 */
import parsePrometheusTextFormat, {
  type PrometheusFamily,
  type PrometheusSample,
} from "parse-prometheus-text-format";
import { expect } from "vitest";
import { createMetrics, type Metrics, type MetricsOptions } from "../../src/operations/metrics.ts";
import { type MetricsServer, startMetricsServer } from "../../src/operations/metrics-server.ts";

const servers: MetricsServer[] = [];

/** Closes every server {@link serve} started; call from `afterEach`. */
export async function closeServers(): Promise<void> {
  for (const server of servers.splice(0)) await server.close();
}

/** New metrics behind a metrics server on 127.0.0.1, on a free port. */
export async function serve(
  options: MetricsOptions = {},
): Promise<{ metrics: Metrics; url: string }> {
  const metrics = createMetrics(options);
  const server = await startMetricsServer({ host: "127.0.0.1", port: 0, metrics });
  servers.push(server);
  return { metrics, url: `http://127.0.0.1:${server.address.port}` };
}

/** A scrape's body, parsed. */
export interface Parsed {
  body: string;
  families: PrometheusFamily[];
}

export interface Scrape extends Parsed {
  response: Response;
}

export function parse(body: string): Parsed {
  return { body, families: parsePrometheusTextFormat(body) };
}

/** GET /metrics over HTTP. */
export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(`${url}/metrics`);
  const body = await response.text();
  return { response, ...parse(body) };
}

export function family(scraped: Parsed, name: string): PrometheusFamily | undefined {
  return scraped.families.find((f) => f.name === name);
}

/** The sample of `name` whose labels include `labels`; undefined when there is none. */
export function sample(
  scraped: Parsed,
  name: string,
  labels: Record<string, string> = {},
): PrometheusSample | undefined {
  return family(scraped, name)?.metrics.find((m) =>
    Object.entries(labels).every(([key, value]) => m.labels?.[key] === value),
  );
}

/** The value of that sample; NaN when there is none. */
export function value(scraped: Parsed, name: string, labels: Record<string, string> = {}): number {
  const found = sample(scraped, name, labels);
  if (found?.value === undefined) return Number.NaN;
  return Number(found.value);
}

/**
 * The samples of histogram `name` with `labels`, as `{ buckets, count, sum }`.
 * parse-prometheus-text-format folds a labelled histogram into one entry and
 * drops its sums and counts, so its `# TYPE` line is left out here: the parser
 * then reads `_bucket`, `_sum` and `_count` as plain samples, labels and all.
 */
export function histogram(scraped: Parsed, name: string, labels: Record<string, string>) {
  const typeLine = `# TYPE ${name} histogram`;
  expect(scraped.body).toContain(typeLine);
  const plain = parsePrometheusTextFormat(
    scraped.body
      .split("\n")
      .filter((line) => line !== typeLine)
      .join("\n"),
  );
  // Untyped, each run of lines with one name is a family of its own: gather them all.
  const matching = (suffix: string) =>
    plain
      .filter((f) => f.name === `${name}${suffix}`)
      .flatMap((f) => f.metrics)
      .filter((m) => Object.entries(labels).every(([key, value]) => m.labels?.[key] === value));
  const buckets: Record<string, number> = {};
  for (const bucket of matching("_bucket")) {
    buckets[bucket.labels?.le ?? "?"] = Number(bucket.value);
  }
  return {
    buckets,
    count: Number(matching("_count")[0]?.value),
    sum: Number(matching("_sum")[0]?.value),
  };
}
