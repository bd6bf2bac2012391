import { execFile } from "node:child_process";
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReceiver } from "../../bench/fanout/receiver.ts";
import { verifySignedRequest } from "../../bench/fanout/verify-signature.ts";
import { generateContent } from "../../bench/harness/articles.ts";
import { hasWrk } from "../../bench/harness/wrk.ts";
import type { BenchResult } from "../../bench/run.ts";
import type { Cell } from "../../bench/serving/cells.ts";
import { DEFAULT_PATHS, mergeRounds, pairedRatio } from "../../bench/serving/feeds.ts";
import { loadContent } from "../../src/content/load.ts";

const ROOT = resolve(import.meta.dirname, "../..");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "loa-bench-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Signs a POST the way Fedify's draft-cavage first knock does. */
function signedPost(url: URL, body: string, privateKey: string, keyId: string) {
  const date = new Date().toUTCString();
  const digest = `SHA-256=${createHash("sha256").update(body).digest("base64")}`;
  const signingString = [
    `(request-target): post ${url.pathname}`,
    `host: ${url.host}`,
    `date: ${date}`,
    `digest: ${digest}`,
  ].join("\n");
  const signature = sign("sha256", Buffer.from(signingString), privateKey).toString("base64");
  return {
    date,
    digest,
    signature: `keyId="${keyId}",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="${signature}"`,
  };
}

describe("article generator", () => {
  it("writes articles the content loader accepts, newest first, in NFC", async () => {
    const generated = await generateContent(join(dir, "content"), 12);
    const snapshot = await loadContent(generated.dir);
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.articles.map((a) => a.slug)).toEqual(generated.slugs);
    expect(snapshot.site.actor.username).toBe("cualo");
    const first = snapshot.articles[0];
    expect(first?.title).toBe(first?.title.normalize("NFC"));
    expect(first?.title).toContain("Cửa Lò");
    expect(first?.tags.length).toBe(2);
  });
});

describe("fan-out receiver", () => {
  const keyId = "http://127.0.0.1:1/users/cualo#main-key";
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const forger = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });

  it("counts deliveries, verifies a genuine signature and rejects a forged one", async () => {
    const asked: string[] = [];
    const receiver = createReceiver({
      sampleEvery: 1,
      resolveKey: async (id) => {
        asked.push(id);
        return publicKey;
      },
    });
    await new Promise<void>((done) => receiver.server.listen(0, "127.0.0.1", done));
    const port = (receiver.server.address() as AddressInfo).port;
    try {
      const body = JSON.stringify({ type: "Create", id: "http://127.0.0.1:1/activities/1" });
      for (const [n, key] of [
        [1, privateKey],
        [2, forger.privateKey],
      ] as const) {
        const url = new URL(`http://127.0.0.1:${port}/u/${n}/inbox`);
        const headers = signedPost(url, body, key, keyId);
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/activity+json", ...headers },
          body,
        });
        expect(res.status).toBe(202);
      }
      await receiver.settled();
      const stats = (await (await fetch(`http://127.0.0.1:${port}/_stats`)).json()) as ReturnType<
        typeof receiver.stats
      >;
      expect(stats.deliveries).toBe(2);
      expect(stats.distinctInboxes).toBe(2);
      expect(stats.duplicates).toBe(0);
      expect(stats.verified).toBe(1);
      expect(stats.rejected).toBe(1);
      expect(stats.rejectReasons).toEqual(["signature does not verify"]);
      expect(stats.types).toEqual({ Create: 2 });
      // The key is fetched once, not per delivery.
      expect(asked).toEqual([keyId]);
    } finally {
      receiver.server.close();
    }
  });

  it("rejects a body that does not match its Digest, and an unsigned Date skew", () => {
    const url = new URL("http://127.0.0.1:9/u/1/inbox");
    const body = '{"type":"Create"}';
    const headers = signedPost(url, body, privateKey, keyId);
    const request = (b: string, h: Record<string, string>) => ({
      method: "POST",
      path: url.pathname,
      headers: { host: url.host, ...h },
      body: Buffer.from(b),
    });
    expect(verifySignedRequest(request(body, headers), publicKey)).toEqual({ ok: true, keyId });
    expect(verifySignedRequest(request('{"type":"Delete"}', headers), publicKey)).toEqual({
      ok: false,
      reason: "Digest does not match the body",
    });
    const later = new Date(Date.now() + 2 * 3_600_000);
    expect(verifySignedRequest(request(body, headers), publicKey, later).ok).toBe(false);
  });
});

describe("the serving cells", () => {
  it("cover every page and feed a reader lands on, 200 and 304 each", () => {
    // `/`, the article page, the three feeds, a tag page, an archive (issue 20's cells).
    for (const cell of [
      "/",
      "article",
      "/rss.xml",
      "/atom.xml",
      "/feed.json",
      "tagpage",
      "archive",
    ]) {
      expect(DEFAULT_PATHS).toContain(cell);
    }
  });
});

describe("rounds of fresh servers", () => {
  const cell = (server: string, rps: number): Cell => ({
    server,
    path: "/",
    mode: "200",
    etag: null,
    requests: rps,
    durationS: 1,
    rps,
    p50Ms: 1,
    p99Ms: 2,
    errors: 0,
    bytes: 0,
  });

  it("keeps each round's figure and sets a server beside another round by round", () => {
    // Round 2 ran on a slow minute for both; round 3 lost the baseline's cell.
    const [loa, node] = mergeRounds([
      [cell("loa", 900), cell("node", 1000)],
      [cell("loa", 450), cell("node", 500)],
      [cell("loa", 1200)],
    ]);
    expect(loa?.rounds).toEqual([900, 450, 1200]);
    expect(node?.rounds).toEqual([1000, 500, null]);
    expect(loa?.rps).toBe(900);
    expect(node?.rps).toBe(750);
    // 0.9 both rounds the two shared; the medians' ratio (900 / 750) would say 1.2.
    expect(pairedRatio(loa, node)).toBeCloseTo(0.9, 9);
  });

  it("falls back to the figures' ratio for results saved without rounds", () => {
    expect(pairedRatio(cell("loa", 600), cell("node", 800))).toBeCloseTo(0.75, 9);
    expect(pairedRatio(cell("loa", 600), undefined)).toBeNull();
  });
});

const wrk = await hasWrk();

/** Runs the bench with `args` and one-second cells on 4 connections; its results JSON. */
async function tinyRun(name: string, args: string[]): Promise<BenchResult> {
  const out = join(dir, name);
  const common = ["--duration", "1", "--connections", "4", "--no-save", "--json", out];
  await promisify(execFile)(process.execPath, [join(ROOT, "bench", "run.ts"), ...args, ...common], {
    cwd: ROOT,
    timeout: 270_000,
  });
  const result = JSON.parse(await readFile(out, "utf8")) as BenchResult;
  expect(result.errors).toEqual([]);
  return result;
}

// Concurrent: each run mostly waits on its servers, so the two together take about as long as one.
describe.concurrent("a tiny run", () => {
  it.skipIf(!wrk)(
    "(needs wrk: apt-get install wrk) writes results JSON with figures beside baselines",
    async () => {
      const result = await tinyRun("result.json", [
        "--only",
        "feeds",
        "--baselines",
        "node,control",
        "--paths",
        "/rss.xml,/",
        "--feed-articles",
        "5",
        "--rounds",
        "2",
      ]);
      expect(result.feeds?.paths).toEqual(["/rss.xml", "/"]);
      const cells = result.feeds?.cells ?? [];
      expect(cells.map((c) => `${c.server} ${c.path} ${c.mode}`).sort()).toEqual([
        "control / 200",
        "control / 304",
        "control /rss.xml 200",
        "control /rss.xml 304",
        "loa / 200",
        "loa / 304",
        "loa /rss.xml 200",
        "loa /rss.xml 304",
        "node / 200",
        "node / 304",
        "node /rss.xml 200",
        "node /rss.xml 304",
      ]);
      for (const c of cells) {
        expect(c.requests).toBeGreaterThan(0);
        expect(c.errors).toBe(0);
        // Two rounds, each on freshly started servers: both measured every cell.
        expect(c.rounds).toHaveLength(2);
        for (const rps of c.rounds ?? []) expect(rps).toBeGreaterThan(0);
      }
      // The ratio to node:http is the median (of two: the mean) of the rounds' own ratios.
      const cell = (server: string) =>
        cells.find((c) => c.server === server && c.path === "/rss.xml" && c.mode === "200");
      const [l1, l2] = (cell("loa")?.rounds ?? []) as number[];
      const [n1, n2] = (cell("node")?.rounds ?? []) as number[];
      const vsNode = result.figures.find(
        (f) => f.name === "/rss.xml 200 req/s" && f.baselineName === "node:http",
      );
      expect(vsNode?.ratio).toBeCloseTo(((l1 ?? 0) / (n1 ?? 1) + (l2 ?? 0) / (n2 ?? 1)) / 2, 6);
      expect(vsNode?.value).toBe(cell("loa")?.rps);
      expect(vsNode?.target).toBe("≥ 0.9× node:http");
      // The control (a second bare server) beside the first: the run's noise floor, no target.
      const [c1, c2] = (cell("control")?.rounds ?? []) as number[];
      const noise = result.figures.find(
        (f) => f.name === "/rss.xml 200 req/s (control: node:http again)",
      );
      expect(noise?.ratio).toBeCloseTo(((c1 ?? 0) / (n1 ?? 1) + (c2 ?? 0) / (n2 ?? 1)) / 2, 6);
      expect(noise?.target ?? null).toBeNull();
      // Each page is set beside the feed, and flagged under 0.8× of it.
      for (const mode of ["200", "304"]) {
        const beside = result.figures.find(
          (f) => f.name === `/ ${mode} req/s` && f.baselineName === `Loa's /rss.xml ${mode}`,
        );
        expect(beside?.target).toBe("≥ 0.8× /rss.xml");
        expect(beside?.met).toBe((beside?.ratio ?? 0) >= 0.8);
      }
    },
    // Two rounds of freshly started servers, pinned to one CPU beside the other test files.
    240_000,
  );

  it.skipIf(!wrk)(
    "(needs wrk) measures newsroom articles beside the same as files, memory and publish timings",
    async () => {
      const result = await tinyRun("newsroom.json", [
        "--only",
        "newsroom",
        "--newsroom-articles",
        "50",
        "--publish-runs",
        "1",
        "--rounds",
        "1",
      ]);
      const newsroom = result.newsroom;
      expect(newsroom?.articles).toBe(50);
      expect(newsroom?.cells.map((c) => `${c.server} ${c.path}`).sort()).toEqual([
        "files /",
        "files /articles/ban-tin-00001",
        "files /rss.xml",
        "newsroom /",
        "newsroom /articles/ban-tin-00001",
        "newsroom /rss.xml",
      ]);
      for (const c of newsroom?.cells ?? []) {
        expect(c.requests).toBeGreaterThan(0);
        expect(c.errors).toBe(0);
      }
      for (const label of ["/articles/{slug}", "/rss.xml", "/"]) {
        const f = result.figures.find((x) => x.name === `${label} 200 req/s, 50 newsroom articles`);
        expect(f?.baselineName).toBe("50 files");
        expect(f?.target).toBe("≥ 0.9× files");
        expect(f?.met).toBe((f?.ratio ?? 0) >= 0.9);
      }
      expect(newsroom?.rss.files).toBeGreaterThan(0);
      expect(newsroom?.rss.newsroom).toBeGreaterThan(0);
      // The published article reached the page and the follower's inbox, signed.
      expect(newsroom?.publishError).toBeNull();
      const [run] = newsroom?.publishes ?? [];
      expect(run?.pageMs).toBeGreaterThan(0);
      expect(run?.deliveryMs).toBeGreaterThan(0);
      expect(run?.rejected).toBe(0);
      const page = result.figures.find((x) => x.name === "publish → article page, median of 1");
      expect(page?.value).toBe(run?.pageMs);
    },
    240_000,
  );
});
