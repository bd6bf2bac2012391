import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { closeServers, scrape, serve } from "../../tests/helpers/prometheus.ts";
import { createMetrics } from "./metrics.ts";
import { startMetricsServer } from "./metrics-server.ts";

afterEach(closeServers);

describe("the metrics listener", () => {
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
