/**
 * Scale-out: two web processes and two workers of the real server on one
 * PostgreSQL database, behind a reverse proxy, federating with independent
 * peers over real HTTP on loopback.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Accept, Create } from "@fedify/fedify/vocab";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AS2, eventually, SITE_YML, writeArticle } from "../federation/e2e.ts";
import { type Peer, type Received, startPeer } from "../helpers/peer.ts";
import { postgresUrl } from "../helpers/postgres.ts";
import { type ClusterOptions, type Proc, ReverseProxy, spawnRole, stop } from "./cluster.ts";

const databaseUrl = await postgresUrl();
const PEERS = 5;
const workerEnv = { LOG_LEVEL: "debug", QUEUE_WORKERS: "2", QUEUE_LEASE_MS: "3000" };

let base: string;
let options: ClusterOptions;
let origin: string;
const proxy = new ReverseProxy();
const procs: Proc[] = [];
let webA: Proc;
let webB: Proc;
const peers: Peer[] = [];

const createsOf = (peer: Peer, slug: string) =>
  peer.received.filter(
    (r: Received) =>
      r.activity instanceof Create && r.activity.objectId?.href === `${origin}/articles/${slug}`,
  );
const sendsLogged = (proc: Proc, activityId: string) =>
  proc
    .output()
    .split("\n")
    .filter((l) => l.includes("Successfully sent activity") && l.includes(activityId)).length;

describe.skipIf(databaseUrl === null)("scale-out on PostgreSQL", () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "loa-scale-"));
    options = {
      databaseUrl: databaseUrl ?? "",
      contentDir: join(base, "content"),
      keysDir: join(base, "keys"),
      dataDir: join(base, "data"),
    };
    await mkdir(join(options.contentDir, "articles"), { recursive: true });
    await writeFile(join(options.contentDir, "site.yml"), SITE_YML);
    origin = await proxy.start();
    // All four start at once: schema migration and key creation must not race.
    const started = await Promise.all([
      spawnRole("web-a", "web", origin, options),
      spawnRole("web-b", "web", origin, options),
      spawnRole("worker-1", "worker", origin, options, workerEnv),
      spawnRole("worker-2", "worker", origin, options, workerEnv),
    ]);
    procs.push(...started);
    [webA, webB] = started as [Proc, Proc, Proc, Proc];
    proxy.route([webA.port ?? 0, webB.port ?? 0]);
    for (let i = 0; i < PEERS; i++) peers.push(await startPeer());
  }, 90_000);

  afterAll(async () => {
    for (const p of procs) await stop(p, "SIGKILL");
    for (const peer of peers) await peer.close();
    await proxy.close();
    await rm(base, { recursive: true, force: true });
  });

  it("a follow arriving at web A is visible in web B's followers collection", async () => {
    // The proxy sends every inbox POST to web A.
    for (const peer of peers) await peer.follow(`${origin}/users/cualo`);
    for (const peer of peers)
      await peer.waitFor((r) => r.activity instanceof Accept, { timeoutMs: 20_000 });
    const collection = (await (
      await fetch(`http://127.0.0.1:${webB.port}/users/cualo/followers`, {
        headers: { Accept: AS2 },
      })
    ).json()) as { totalItems: number };
    expect(collection.totalItems).toBe(PEERS);
  });

  it("one new article reaches every follower once per shared inbox, spread over both workers", async () => {
    for (const peer of peers) peer.setDelay(800);
    await writeArticle(options.contentDir, "tin-moi", [
      "title: Tin mới từ Cửa Lò",
      `published: ${new Date().toISOString()}`,
    ]);
    for (const peer of peers) {
      await peer.waitFor((r) => createsOf(peer, "tin-moi").includes(r), { timeoutMs: 30_000 });
    }
    // A grace period for any duplicate to show up: had both web processes
    // reconciled, each peer would hold two copies.
    await new Promise((r) => setTimeout(r, 2_000));
    for (const peer of peers) expect(createsOf(peer, "tin-moi")).toHaveLength(1);
    const activityId = `${origin}/activities/tin-moi/create/1`;
    const [w1, w2] = [procs[2] as Proc, procs[3] as Proc];
    const [byW1, byW2] = [sendsLogged(w1, activityId), sendsLogged(w2, activityId)];
    expect(byW1 + byW2).toBe(PEERS);
    // Two slots per worker and slow peers: neither worker can take all five at once.
    expect(byW1).toBeGreaterThan(0);
    expect(byW2).toBeGreaterThan(0);
  }, 60_000);

  it("a worker killed mid-delivery leaves another to finish, with nothing lost", async () => {
    const [w1, w2] = [procs[2] as Proc, procs[3] as Proc];
    // SIGTERM drains: the second worker stops cleanly, leaving the first alone.
    expect(await stop(w2, "SIGTERM")).toBe(0);
    for (const peer of peers) peer.setDelay(1_500);
    await writeArticle(options.contentDir, "tin-khan", [
      "title: Thông báo khẩn",
      `published: ${new Date().toISOString()}`,
    ]);
    const sql = postgres(databaseUrl ?? "", { max: 1, onnotice: () => {} });
    try {
      await eventually(async () => {
        const [row] = await sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM queue WHERE lease_until > clock_timestamp()`;
        return (row?.n ?? 0) > 0;
      }, "worker-1 holding deliveries");
    } finally {
      await sql.end({ timeout: 1 });
    }
    await stop(w1, "SIGKILL");
    procs.push(await spawnRole("worker-3", "worker", origin, options, workerEnv));
    for (const peer of peers) {
      await peer.waitFor((r) => createsOf(peer, "tin-khan").includes(r), { timeoutMs: 40_000 });
    }
    const ids = new Set(
      peers.flatMap((p) => createsOf(p, "tin-khan").map((r) => r.activity.id?.href)),
    );
    expect([...ids]).toEqual([`${origin}/activities/tin-khan/create/1`]);
  }, 90_000);
});
