import { afterEach, describe, expect, it } from "vitest";
import { closeServers, family, scrape, serve, value } from "../../tests/helpers/prometheus.ts";

afterEach(closeServers);

describe("gauges read at scrape time", () => {
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
});
