import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  closeServers,
  family,
  histogram,
  parse,
  sample,
  scrape,
  serve,
  value,
} from "../../tests/helpers/prometheus.ts";
import { createMetrics, MAX_ROUTES } from "./metrics.ts";
import { REQUEST_BUCKETS } from "./request-metrics.ts";

afterEach(closeServers);

describe("metrics of requests and deliveries", () => {
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

  it("keeps each registry's counters apart", async () => {
    const a = await serve();
    const b = await serve();
    a.metrics.observeRequest("/", "GET", 200, 0.001);
    expect(value(await scrape(a.url), "loa_http_requests_total", { route: "/" })).toBe(1);
    expect(sample(await scrape(b.url), "loa_http_requests_total", { route: "/" })).toBeUndefined();
  });
});
