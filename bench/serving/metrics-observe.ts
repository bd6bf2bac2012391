/**
 * `npm exec -- node bench/serving/metrics-observe.ts`: what the operator's instruments
 * cost. Prints ns per `observeRequest` (against prom-client's own labelled
 * Counter and Histogram calls), ns per `observeDelivery`, and the time of one
 * readiness call and one scrape over a SQLite store with 10,000 followers.
 * A quick loop for docs/operations.md, not a test: numbers vary by machine.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Counter, Histogram, Registry } from "prom-client";
import { createHealth } from "../../src/operations/health.ts";
import { storeCheck } from "../../src/operations/health-checks.ts";
import { createMetrics } from "../../src/operations/metrics.ts";
import { openStorage } from "../../src/storage/open.ts";

const ROUTES = ["/", "/articles/:slug", "/rss.xml", "/atom.xml", "/feed.json", "/tags/:tag"];
const METHODS = ["GET", "HEAD"];
const STATUSES = [200, 304, 404];
const N = 2_000_000;
const RUNS = 5;

/** Median ns per call of `body(i)` over {@link RUNS} runs of `n` calls, after a warm-up. */
function nsPerOp(n: number, body: (i: number) => void): number {
  for (let i = 0; i < Math.min(n, 200_000); i++) body(i);
  const runs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) body(i);
    runs.push(Number(process.hrtime.bigint() - start) / n);
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(RUNS / 2)] ?? Number.NaN;
}

async function msPerCall(n: number, body: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await body();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await body();
  return Number(process.hrtime.bigint() - start) / n / 1e6;
}

const label = (i: number) => ({
  route: ROUTES[i % ROUTES.length] as string,
  method: METHODS[(i >> 3) % METHODS.length] as string,
  status: STATUSES[(i >> 4) % STATUSES.length] as number,
});

const ours = createMetrics();
const ns = {
  observeRequest: nsPerOp(N, (i) => {
    const { route, method, status } = label(i);
    ours.observeRequest(route, method, status, 0.0004);
  }),
  labelsOnly: nsPerOp(N, (i) => {
    label(i);
  }),
};

const registry = new Registry();
const counter = new Counter({
  name: "c_total",
  help: "c",
  labelNames: ["route", "method", "status"] as const,
  registers: [registry],
});
const histogram = new Histogram({
  name: "h_seconds",
  help: "h",
  labelNames: ["route", "method"] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});
const promClientLabelled = nsPerOp(N, (i) => {
  const { route, method, status } = label(i);
  counter.inc({ route, method, status: String(status) });
  histogram.observe({ route, method }, 0.0004);
});

const inboxes = Array.from({ length: 500 }, (_, i) => `https://server${i}.example/inbox`);
const observeDelivery = nsPerOp(N / 4, (i) => {
  ours.observeDelivery(i % 7 === 0 ? "retry" : "delivered", inboxes[i % inboxes.length] as string);
});

const dataDir = await mkdtemp(join(tmpdir(), "loa-bench-ops-"));
const storage = await openStorage({ dataDir, databaseUrl: undefined });
for (let i = 0; i < 10_000; i++) {
  await storage.store.addFollower({
    actorId: `https://server${i % 500}.example/users/u${i}`,
    followId: `https://server${i % 500}.example/follows/${i}`,
    inbox: `https://server${i % 500}.example/users/u${i}/inbox`,
    sharedInbox: `https://server${i % 500}.example/inbox`,
    createdAt: new Date(1_700_000_000_000 + i),
  });
}
const health = createHealth({ checks: { store: storeCheck(storage.store) } });
const readinessMs = await msPerCall(500, () => health.readiness());
const scraped = createMetrics({
  sources: {
    followers: () => storage.store.countFollowers(),
    queueDepth: async () => (await storage.lanes.delivery.getDepth()).queued,
  },
});
for (let i = 0; i < 5_000; i++) {
  const { route, method, status } = label(i);
  scraped.observeRequest(route, method, status, 0.001);
}
const scrapeMs = await msPerCall(200, () => scraped.registry.metrics());
await storage.close();
await rm(dataDir, { recursive: true, force: true });

const rows: [string, string][] = [
  ["observeRequest (plain counts), ns/op", (ns.observeRequest - ns.labelsOnly).toFixed(0)],
  ["prom-client labelled inc + observe, ns/op", (promClientLabelled - ns.labelsOnly).toFixed(0)],
  ["observeDelivery (500 servers), ns/op", observeDelivery.toFixed(0)],
  ["readiness(), store check, 10,000 followers (SQLite), ms/call", readinessMs.toFixed(3)],
  ["registry.metrics() with 2 gauges from SQLite, ms/scrape", scrapeMs.toFixed(2)],
];
console.log(`node ${process.version}, ${N.toLocaleString("en-US")} calls x ${RUNS} runs (median)`);
for (const [what, value] of rows) console.log(`${what.padEnd(64)} ${value.padStart(8)}`);
