/**
 * Scale-out with the newsroom: two web processes and a worker on one
 * PostgreSQL database. An article published in the newsroom (here by the
 * service in the test process, on the same database, as a third process)
 * is served by both web processes within 10 s and reaches a follower once.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Accept, Create } from "@fedify/fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.ts";
import { createArticleService } from "../../src/newsroom/articles/service.ts";
import { openStorage, type Storage } from "../../src/storage/open.ts";
import { eventually, SITE_YML } from "../federation/e2e.ts";
import { type Peer, type Received, startPeer } from "../helpers/peer.ts";
import { freshPostgresUrl, postgresUrl } from "../helpers/postgres.ts";
import { type ClusterOptions, type Proc, ReverseProxy, spawnRole, stop } from "./cluster.ts";

const available = (await postgresUrl()) !== null;

let base: string;
let options: ClusterOptions;
let origin: string;
let storage: Storage;
const proxy = new ReverseProxy();
const procs: Proc[] = [];
let peer: Peer;

describe.skipIf(!available)("newsroom articles in scale-out on PostgreSQL", () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "loa-scale-newsroom-"));
    options = {
      databaseUrl: await freshPostgresUrl(),
      contentDir: join(base, "content"),
      keysDir: join(base, "keys"),
      dataDir: join(base, "data"),
    };
    await mkdir(join(options.contentDir, "articles"), { recursive: true });
    await writeFile(join(options.contentDir, "site.yml"), SITE_YML);
    origin = await proxy.start();
    // One after another: three Node processes starting at once on a loaded
    // two-core machine can take longer than the helper's 20 s each.
    procs.push(await spawnRole("web-a", "web", origin, options));
    procs.push(await spawnRole("web-b", "web", origin, options));
    procs.push(await spawnRole("worker", "worker", origin, options, { QUEUE_LEASE_MS: "3000" }));
    proxy.route([procs[0]?.port ?? 0, procs[1]?.port ?? 0]);
    storage = await openStorage({ dataDir: options.dataDir, databaseUrl: options.databaseUrl });
    peer = await startPeer();
    await peer.follow(`${origin}/users/cualo`);
    await peer.waitFor((r) => r.activity instanceof Accept, { timeoutMs: 20_000 });
  }, 150_000);

  afterAll(async () => {
    for (const p of procs) await stop(p, "SIGKILL");
    await peer?.close();
    await storage?.close();
    await proxy.close();
    await rm(base, { recursive: true, force: true });
  });

  it("serves a published article from every web process within 10 s, with one Create", async () => {
    const snapshot = await loadContent(options.contentDir);
    const service = createArticleService({
      store: storage.store,
      clock: () => new Date(),
      content: { current: () => snapshot },
      pictures: async () => null,
    });
    const editor = { username: "minh", roles: ["editor" as const] };
    const created = await service.create(editor, {
      title: "Tin từ tòa soạn",
      body: "Phát hành trên nhiều máy chủ.",
      slug: "nhieu-may",
    });
    if (!created.ok) throw new Error(JSON.stringify(created.failure));
    const published = await service.publish(editor, created.article.article.id, 1);
    expect(published.ok).toBe(true);
    const pageOn = async (proc: Proc) => {
      const res = await fetch(`http://127.0.0.1:${proc.port}/articles/nhieu-may`);
      return res.status === 200 && (await res.text()).includes("Tin từ tòa soạn");
    };
    // `eventually` waits up to 15 s; the contract's 10 s is the counter poll (2 s) plus a reload.
    for (const proc of procs.slice(0, 2)) {
      await eventually(() => pageOn(proc), `the article on ${proc.name}`);
      const rss = await fetch(`http://127.0.0.1:${proc.port}/rss.xml`);
      expect(await rss.text()).toContain("Tin từ tòa soạn");
    }
    const about = (r: Received) =>
      r.activity instanceof Create && r.activity.objectId?.href === `${origin}/articles/nhieu-may`;
    await peer.waitFor(about, { timeoutMs: 20_000 });
    // A marker after it: a second Create would have arrived before the marker's.
    const marker = await service.create(editor, { title: "Mốc", body: "x", slug: "moc" });
    if (!marker.ok) throw new Error(JSON.stringify(marker.failure));
    await service.publish(editor, marker.article.article.id, 1);
    await peer.waitFor(
      (r) => r.activity instanceof Create && r.activity.objectId?.href === `${origin}/articles/moc`,
      { timeoutMs: 20_000 },
    );
    expect(peer.received.filter(about)).toHaveLength(1);
  }, 90_000);
});
