/**
 * What an operator reaches on a running server: `/healthz` and `/readyz` on
 * the public port, Prometheus metrics on their own loopback port (and not on
 * the public one), and `npm run status` beside it, all over real HTTP with a
 * real peer following the town.
 */

import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createListener } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { openContent } from "../../src/content/source.ts";
import { createHealth } from "../../src/operations/health.ts";
import { contentCheck, storeCheck } from "../../src/operations/health-checks.ts";
import { NO_CONVERSATIONS } from "../../src/read-models/conversations.ts";
import { openStorage } from "../../src/storage/open.ts";
import { createUrls } from "../../src/urls.ts";
import { ENTRY, eventually, SITE_YML, writeArticle } from "../federation/e2e.ts";
import { type Peer, startPeer } from "../helpers/peer.ts";
import { freePort } from "../helpers/ports.ts";
import { parse, sample } from "../helpers/prometheus.ts";
import { startServer, type TestServer } from "../helpers/server.ts";

interface Report {
  followers: { total: number; servers: number };
  activities: { activityId: string; delivered: number; pending: number; failed: number }[];
  failingServers: { server: string }[];
}

let base: string;
let server: TestServer;
let follower: Peer;
let gone: Peer;
let metricsPort: number;
let actorUrl: string;

async function metrics() {
  const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(res.status).toBe(200);
  return parse(await res.text());
}

/** The sum of a counter's samples with this outcome, over every server. */
function total(scraped: ReturnType<typeof parse>, name: string, outcome: string): number {
  const metric = scraped.families.find((f) => f.name === name);
  return (metric?.metrics ?? [])
    .filter((m) => "labels" in m && m.labels?.outcome === outcome)
    .reduce((sum, m) => sum + Number("value" in m ? m.value : 0), 0);
}

function status(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["src/operations/status-cli.ts", ...args], {
      cwd: join(import.meta.dirname, "../.."),
      env: { PATH: process.env.PATH, DATA_DIR: server.dataDir, CONTENT_DIR: base },
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "loa-operations-"));
  await mkdir(join(base, "articles"), { recursive: true });
  await writeFile(join(base, "site.yml"), SITE_YML);
  metricsPort = await freePort();
  server = await startServer({
    contentDir: base,
    entry: ENTRY,
    env: { METRICS_PORT: String(metricsPort) },
  });
  [follower, gone] = await Promise.all([startPeer(), startPeer()]);
  actorUrl = `${server.origin}/users/cualo`;
});

afterAll(async () => {
  await Promise.all([follower?.close(), gone?.close().catch(() => {})]);
  await server?.cleanup();
  await rm(base, { recursive: true, force: true });
});

describe("health", () => {
  it("answers liveness and readiness as JSON, never cached", async () => {
    const live = await fetch(`${server.origin}/healthz`);
    expect(live.status).toBe(200);
    expect(live.headers.get("cache-control")).toBe("no-store");
    expect(await live.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${server.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ok",
      checks: { store: "ok", content: "ok", queue: "ok" },
    });
  });

  it("is not ready, saying why, once its store is closed", async () => {
    const config = loadConfig({ ORIGIN: "http://127.0.0.1", CONTENT_DIR: base });
    const content = await openContent(base, { watch: false });
    const storage = await openStorage({
      dataDir: await mkdtemp(join(tmpdir(), "loa-ready-")),
      databaseUrl: undefined,
    });
    const health = createHealth({
      checks: { store: storeCheck(storage.store), content: contentCheck(() => content.current()) },
    });
    const listener = createListener({
      config,
      urls: createUrls(config.origin),
      content,
      clock: () => new Date(),
      health,
      observeRequest: () => {},
      conversations: NO_CONVERSATIONS,
    });
    const http: Server = createHttpServer(listener);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const address = http.address();
    const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    try {
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      await storage.close();
      const res = await fetch(`${url}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { status: string; checks: Record<string, string> };
      expect(body.status).toBe("unavailable");
      expect(body.checks.content).toBe("ok");
      expect(body.checks.store).not.toBe("ok");
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      await new Promise((resolve) => http.close(resolve));
      await content.close();
    }
  });
});

describe("metrics", () => {
  it("are served on the metrics port only, and count requests by route", async () => {
    const onPublic = await fetch(`${server.origin}/metrics`);
    expect(onPublic.status).toBe(404);
    expect(await onPublic.text()).not.toContain("loa_http_requests_total");

    await writeArticle(base, "tin-do-thi", [
      "title: Tin đô thị",
      `published: ${new Date(Date.now() - 60_000).toISOString()}`,
    ]);
    await eventually(
      async () => (await fetch(`${server.origin}/articles/tin-do-thi`)).status === 200,
      "the article page",
    );
    const before = await metrics();
    const count = (scraped: typeof before) =>
      Number(
        sample(scraped, "loa_http_requests_total", {
          route: "/articles/:slug",
          method: "GET",
          status: "200",
        })?.value ?? 0,
      );
    for (let i = 0; i < 3; i++) await (await fetch(`${server.origin}/articles/tin-do-thi`)).text();
    const after = await metrics();
    expect(count(after) - count(before)).toBe(3);
    expect(sample(after, "loa_followers")?.value).toBeDefined();
    expect(sample(after, "loa_queue_oldest_message_age_seconds")?.value).toBeDefined();
    expect(sample(after, "loa_queue_depth")?.value).toBeDefined();
    expect(sample(after, "process_cpu_user_seconds_total")?.value).toBeDefined();
  });
});

describe("deliveries", () => {
  it("counts deliveries and shows each activity's progress in npm run status", async () => {
    await follower.follow(actorUrl);
    await gone.follow(actorUrl);
    await follower.waitFor((r) => r.json.type === "Accept");
    await gone.waitFor((r) => r.json.type === "Accept");
    // This follower's server goes away: its deliveries fail and wait for a retry.
    await gone.close();
    await writeArticle(base, "tin-moi", [
      "title: Tin mới",
      `published: ${new Date(Date.now() - 30_000).toISOString()}`,
    ]);
    const created = await follower.waitFor(
      (r) => r.json.type === "Create" && JSON.stringify(r.json).includes("tin-moi"),
    );
    const activityId = String(created[0]?.json.id);

    await eventually(async () => {
      const scraped = await metrics();
      return (
        total(scraped, "loa_deliveries_total", "delivered") >= 3 &&
        total(scraped, "loa_deliveries_total", "retry") >= 1
      );
    }, "delivered and retried deliveries in the metrics");

    let report: Report | null = null;
    await eventually(async () => {
      const run = await status(["--json"]);
      if (run.code !== 0) return false;
      report = JSON.parse(run.stdout);
      const create = report?.activities.find((a) => a.activityId === activityId);
      return create?.delivered === 1 && create.pending === 1;
    }, "the Create's progress in npm run status");
    const shown = report as Report | null;
    if (shown === null) throw new Error("no report");
    expect(shown.followers.total).toBe(2);
    expect(shown.failingServers.map((s) => s.server)).toContain(new URL(gone.origin).host);
    const table = await status([]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("tin-moi");
    expect(table.stdout).toContain("1 delivered · 1 pending");
  });
});
