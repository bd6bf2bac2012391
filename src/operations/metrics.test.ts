import { spawnSync } from "node:child_process";
import fc from "fast-check";
import parsePrometheusTextFormat, {
  type PrometheusFamily,
  type PrometheusSample,
} from "parse-prometheus-text-format";
import { afterEach, describe, expect, it } from "vitest";
import { createMetrics, MAX_ROUTES, type Metrics, type MetricsOptions } from "./metrics.ts";
import { type MetricsServer, startMetricsServer } from "./metrics-server.ts";
import { REQUEST_BUCKETS } from "./request-metrics.ts";

const servers: MetricsServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function serve(options: MetricsOptions = {}): Promise<{ metrics: Metrics; url: string }> {
  const metrics = createMetrics(options);
  const server = await startMetricsServer({ host: "127.0.0.1", port: 0, metrics });
  servers.push(server);
  return { metrics, url: `http://127.0.0.1:${server.address.port}` };
}

/** A scrape's body, parsed. */
interface Parsed {
  body: string;
  families: PrometheusFamily[];
}

interface Scrape extends Parsed {
  response: Response;
}

function parse(body: string): Parsed {
  return { body, families: parsePrometheusTextFormat(body) };
}

async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(`${url}/metrics`);
  const body = await response.text();
  return { response, ...parse(body) };
}

function family(scraped: Parsed, name: string): PrometheusFamily | undefined {
  return scraped.families.find((f) => f.name === name);
}

/** The sample of `name` whose labels include `labels`; undefined when there is none. */
function sample(
  scraped: Parsed,
  name: string,
  labels: Record<string, string> = {},
): PrometheusSample | undefined {
  return family(scraped, name)?.metrics.find((m) =>
    Object.entries(labels).every(([key, value]) => m.labels?.[key] === value),
  );
}

/**
 * The samples of histogram `name` with `labels`, as `{ buckets, count, sum }`.
 * parse-prometheus-text-format folds a labelled histogram into one entry and
 * drops its sums and counts, so its `# TYPE` line is left out here: the parser
 * then reads `_bucket`, `_sum` and `_count` as plain samples, labels and all.
 */
function histogram(scraped: Parsed, name: string, labels: Record<string, string>) {
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

function value(scraped: Parsed, name: string, labels: Record<string, string> = {}): number {
  const found = sample(scraped, name, labels);
  if (found?.value === undefined) return Number.NaN;
  return Number(found.value);
}

describe("GET /metrics", () => {
  it("serves Node's process metrics and Loa's in the Prometheus text format", async () => {
    const { url } = await serve({ sources: { followers: async () => 3 } });
    const scraped = await scrape(url);
    expect(scraped.response.status).toBe(200);
    expect(scraped.response.headers.get("content-type")).toBe(
      "text/plain; version=0.0.4; charset=utf-8",
    );
    expect(scraped.response.headers.get("cache-control")).toBe("no-store");
    const names = scraped.families.map((f) => f.name);
    expect(names).toContain("process_cpu_seconds_total");
    expect(names).toContain("process_resident_memory_bytes");
    expect(names).toContain("nodejs_eventloop_lag_seconds");
    expect(names).not.toContain("loa_process_cpu_seconds_total");
    expect(family(scraped, "loa_http_requests_total")?.type).toBe("COUNTER");
    expect(family(scraped, "loa_http_request_duration_seconds")?.type).toBe("HISTOGRAM");
    expect(family(scraped, "loa_deliveries_total")?.type).toBe("COUNTER");
    expect(family(scraped, "loa_delivery_retries_total")?.type).toBe("COUNTER");
    expect(family(scraped, "loa_followers")?.type).toBe("GAUGE");
  });

  it("counts requests by route pattern, method and status, and times them", async () => {
    const { metrics, url } = await serve();
    metrics.observeRequest("/articles/:slug", "GET", 200, 0.0003);
    metrics.observeRequest("/articles/:slug", "GET", 200, 0.2);
    metrics.observeRequest("/articles/:slug", "GET", 304, 0.0001);
    metrics.observeRequest("/articles/:slug", "HEAD", 200, 0.0001);
    metrics.observeRequest("/rss.xml", "GET", 200, 0.001);
    const scraped = await scrape(url);
    const count = (route: string, method: string, status: string) =>
      value(scraped, "loa_http_requests_total", { route, method, status });
    expect(count("/articles/:slug", "GET", "200")).toBe(2);
    expect(count("/articles/:slug", "GET", "304")).toBe(1);
    expect(count("/articles/:slug", "HEAD", "200")).toBe(1);
    expect(count("/rss.xml", "GET", "200")).toBe(1);

    const article = histogram(scraped, "loa_http_request_duration_seconds", {
      route: "/articles/:slug",
      method: "GET",
    });
    expect(article.count).toBe(3);
    expect(article.sum).toBeCloseTo(0.2004, 6);
    // Cumulative buckets: both fast answers are within 0.5 ms, the slow one only from 250 ms.
    expect(article.buckets["0.0005"]).toBe(2);
    expect(article.buckets["0.1"]).toBe(2);
    expect(article.buckets["0.25"]).toBe(3);
    expect(article.buckets["2.5"]).toBe(3);
    expect(article.buckets["+Inf"]).toBe(3);
    const head = histogram(scraped, "loa_http_request_duration_seconds", {
      route: "/articles/:slug",
      method: "HEAD",
    });
    expect(head.count).toBe(1);

    metrics.observeRequest("/articles/:slug", "GET", 200, 0.0004);
    expect(
      value(await scrape(url), "loa_http_requests_total", {
        status: "200",
        method: "GET",
        route: "/articles/:slug",
      }),
    ).toBe(3);
  });

  it("agrees with a plain count of any sequence of requests", async () => {
    const request = fc.record({
      route: fc.constantFrom("/", "/articles/:slug", "/rss.xml"),
      method: fc.constantFrom("GET", "HEAD"),
      status: fc.constantFrom(200, 304, 404),
      seconds: fc.oneof(
        fc.constantFrom(...REQUEST_BUCKETS),
        fc.double({ min: 0, max: 5, noNaN: true }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { maxLength: 60 }), async (requests) => {
        const metrics = createMetrics();
        for (const r of requests) metrics.observeRequest(r.route, r.method, r.status, r.seconds);
        const scraped = parse(await metrics.registry.metrics());
        for (const route of ["/", "/articles/:slug", "/rss.xml"]) {
          for (const method of ["GET", "HEAD"]) {
            const mine = requests.filter((r) => r.route === route && r.method === method);
            for (const status of [200, 304, 404]) {
              const n = mine.filter((r) => r.status === status).length;
              const counted = value(scraped, "loa_http_requests_total", {
                route,
                method,
                status: String(status),
              });
              expect(n === 0 ? Number.isNaN(counted) : counted === n).toBe(true);
            }
            if (mine.length === 0) continue;
            const timed = histogram(scraped, "loa_http_request_duration_seconds", {
              route,
              method,
            });
            expect(timed.count).toBe(mine.length);
            expect(timed.sum).toBeCloseTo(
              mine.reduce((total, r) => total + r.seconds, 0),
              9,
            );
            for (const le of REQUEST_BUCKETS) {
              // le is inclusive: an answer of exactly 0.5 s is in the 0.5 bucket.
              expect(timed.buckets[String(le)]).toBe(mine.filter((r) => r.seconds <= le).length);
            }
            expect(timed.buckets["+Inf"]).toBe(mine.length);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it("keeps client-chosen methods and runaway routes from growing the series", async () => {
    const { metrics, url } = await serve();
    metrics.observeRequest("/", "BREW", 405, 0.0001);
    metrics.observeRequest("/", "PROPFIND", 405, 0.0001);
    for (let i = 0; i < MAX_ROUTES + 5; i++)
      metrics.observeRequest(`/raw/${i}`, "GET", 404, 0.0001);
    const scraped = await scrape(url);
    expect(value(scraped, "loa_http_requests_total", { route: "/", method: "OTHER" })).toBe(2);
    expect(sample(scraped, "loa_http_requests_total", { method: "BREW" })).toBeUndefined();
    const routes = new Set(
      family(scraped, "loa_http_requests_total")?.metrics.map((m) => m.labels?.route),
    );
    expect(routes.size).toBe(MAX_ROUTES + 1);
    expect(value(scraped, "loa_http_requests_total", { route: "other" })).toBe(6);
  });

  it("counts deliveries by outcome and receiving server, and retries apart", async () => {
    const { metrics, url } = await serve();
    metrics.observeDelivery("delivered", "https://mastodon.social/inbox");
    metrics.observeDelivery("delivered", "https://mastodon.social/inbox");
    metrics.observeDelivery("delivered", new URL("https://social.example:8443/users/a/inbox"));
    metrics.observeDelivery("retry", "https://down.example/inbox");
    metrics.observeDelivery("retry", "https://down.example/inbox");
    metrics.observeDelivery("failed", "https://down.example/inbox");
    const scraped = await scrape(url);
    const count = (outcome: string, server: string) =>
      value(scraped, "loa_deliveries_total", { outcome, server });
    expect(count("delivered", "mastodon.social")).toBe(2);
    expect(count("delivered", "social.example:8443")).toBe(1);
    expect(count("retry", "down.example")).toBe(2);
    expect(count("failed", "down.example")).toBe(1);
    expect(
      sample(scraped, "loa_deliveries_total", { outcome: "failed", server: "mastodon.social" }),
    ).toBeUndefined();
    expect(value(scraped, "loa_delivery_retries_total")).toBe(2);
  });

  it("fills the gauges from their sources at each scrape", async () => {
    let depth = 12;
    const { url } = await serve({
      sources: {
        queueDepth: async () => depth,
        oldestMessageAgeSeconds: async () => 42.5,
        followers: async () => 1234,
        hubSubscribers: async () => 7,
        pendingModeration: async () => 3,
        contentProblems: async () => 1,
      },
    });
    const first = await scrape(url);
    expect(value(first, "loa_queue_depth")).toBe(12);
    expect(value(first, "loa_queue_oldest_message_age_seconds")).toBe(42.5);
    expect(value(first, "loa_followers")).toBe(1234);
    expect(value(first, "loa_hub_subscribers")).toBe(7);
    expect(value(first, "loa_interactions_pending")).toBe(3);
    expect(value(first, "loa_content_problems")).toBe(1);
    depth = 0;
    expect(value(await scrape(url), "loa_queue_depth")).toBe(0);
  });

  it("exports no gauge for a source that was not given", async () => {
    const { url } = await serve({ sources: { followers: async () => 5 } });
    const scraped = await scrape(url);
    expect(value(scraped, "loa_followers")).toBe(5);
    expect(family(scraped, "loa_queue_depth")).toBeUndefined();
    expect(family(scraped, "loa_hub_subscribers")).toBeUndefined();
  });

  it("still answers when a source throws or hangs, leaving only that gauge without a sample", async () => {
    let storeDown = false;
    const { url } = await serve({
      sourceTimeoutMs: 50,
      sources: {
        followers: async () => {
          if (storeDown) throw new Error("database is locked");
          return 9;
        },
        hubSubscribers: () => new Promise<number>(() => {}),
        contentProblems: async () => 2,
      },
    });
    const before = await scrape(url);
    expect(value(before, "loa_followers")).toBe(9);

    storeDown = true;
    const during = await scrape(url);
    expect(during.response.status).toBe(200);
    expect(value(during, "loa_content_problems")).toBe(2);
    // Present as a family, with no sample: not a stale 9, not a made-up 0.
    expect(family(during, "loa_followers")?.metrics).toEqual([]);
    expect(family(during, "loa_hub_subscribers")?.metrics).toEqual([]);
    const failures = (metric: string) =>
      value(during, "loa_metrics_source_failures_total", { metric });
    expect(failures("loa_followers")).toBe(1);
    expect(failures("loa_hub_subscribers")).toBe(2);

    storeDown = false;
    expect(value(await scrape(url), "loa_followers")).toBe(9);
  });

  it("keeps each registry's counters apart", async () => {
    const a = await serve();
    const b = await serve();
    a.metrics.observeRequest("/", "GET", 200, 0.001);
    expect(value(await scrape(a.url), "loa_http_requests_total", { route: "/" })).toBe(1);
    expect(sample(await scrape(b.url), "loa_http_requests_total", { route: "/" })).toBeUndefined();
  });

  it("answers 404 elsewhere, 405 to other methods, and HEAD without a body", async () => {
    const { url } = await serve();
    const elsewhere = await fetch(`${url}/`);
    expect(elsewhere.status).toBe(404);
    await elsewhere.body?.cancel();
    const post = await fetch(`${url}/metrics`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    await post.body?.cancel();
    const head = await fetch(`${url}/metrics`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const withQuery = await fetch(`${url}/metrics?name[]=loa_followers`);
    expect(withQuery.status).toBe(200);
    await withQuery.body?.cancel();
  });

  it("says which address it could not listen on", async () => {
    const { url } = await serve();
    const port = Number(new URL(url).port);
    await expect(
      startMetricsServer({ host: "127.0.0.1", port, metrics: createMetrics() }),
    ).rejects.toThrow(`The metrics server could not listen on 127.0.0.1:${port}`);
  });
});

const promtool = spawnSync("promtool", ["--version"], { encoding: "utf8" });
const hasPromtool = promtool.status === 0;
if (!hasPromtool) {
  console.log(
    "promtool check skipped: promtool is not installed (apt-get install -y prometheus provides it)",
  );
}

describe.skipIf(!hasPromtool)("promtool check metrics", () => {
  it("finds nothing wrong with a scrape that carries every kind of metric", async () => {
    const { metrics, url } = await serve({
      sources: {
        queueDepth: async () => 1,
        followers: async () => 2,
        contentProblems: async () => 0,
      },
    });
    metrics.observeRequest("/articles/:slug", "GET", 200, 0.001);
    metrics.observeDelivery("delivered", "https://mastodon.social/inbox");
    metrics.observeDelivery("retry", "https://down.example/inbox");
    const { body } = await scrape(url);
    const checked = spawnSync("promtool", ["check", "metrics"], { input: body, encoding: "utf8" });
    // Exit 1 is a parse error, 3 lint findings. The only findings allowed are
    // prom-client's own gauges named *_total, kept under their standard names.
    const allowed =
      /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/;
    const findings = `${checked.stdout}${checked.stderr}`.split("\n").filter((line) => line !== "");
    expect(findings.filter((line) => !allowed.test(line))).toEqual([]);
    expect([0, 3]).toContain(checked.status);
  });
});
