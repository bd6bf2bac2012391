/**
 * Moving a running SQLite site to PostgreSQL with `npm run migrate-to-postgres`:
 * followers and the ledger come along, and the site keeps federating.
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Accept, Create } from "@fedify/fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followerCount, SITE_YML, writeArticle } from "../federation/e2e.ts";
import { type Peer, startPeer } from "../helpers/peer.ts";
import { postgresUrl } from "../helpers/postgres.ts";
import { type ClusterOptions, type Proc, ReverseProxy, spawnRole, stop } from "./cluster.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const databaseUrl = await postgresUrl();

let base: string;
let options: ClusterOptions;
let origin: string;
let peer: Peer;
const proxy = new ReverseProxy();
const running: Proc[] = [];

describe.skipIf(databaseUrl === null)("migrating a SQLite site to PostgreSQL", () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "loa-migrate-"));
    options = {
      databaseUrl: "",
      contentDir: join(base, "content"),
      keysDir: join(base, "keys"),
      dataDir: join(base, "data"),
    };
    await mkdir(join(options.contentDir, "articles"), { recursive: true });
    await writeFile(join(options.contentDir, "site.yml"), SITE_YML);
    await writeArticle(options.contentDir, "truoc", [
      "title: Trước khi chuyển",
      `published: ${new Date().toISOString()}`,
    ]);
    origin = await proxy.start();
    peer = await startPeer();
  });

  afterAll(async () => {
    for (const p of running) await stop(p, "SIGKILL");
    await peer?.close();
    await proxy.close();
    await rm(base, { recursive: true, force: true });
  });

  it("moves followers and ledger, and the site keeps federating", async () => {
    const sqliteSite = await spawnRole("sqlite", "all", origin, options);
    running.push(sqliteSite);
    proxy.route([sqliteSite.port ?? 0]);
    await peer.follow(`${origin}/users/cualo`);
    await peer.waitFor((r) => r.activity instanceof Accept);
    expect(await stop(sqliteSite)).toBe(0);

    const migrate = spawnSync(
      "npm",
      [
        "run",
        "--silent",
        "migrate-to-postgres",
        "--",
        join(options.dataDir, "loa.sqlite"),
        databaseUrl ?? "",
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(migrate.status, migrate.stderr + migrate.stdout).toBe(0);

    const pgSite = await spawnRole("postgres", "all", origin, {
      ...options,
      databaseUrl: databaseUrl ?? "",
    });
    running.push(pgSite);
    proxy.route([pgSite.port ?? 0]);
    expect(await followerCount(`${origin}/users/cualo`)).toBe(1);

    await writeArticle(options.contentDir, "sau", [
      "title: Sau khi chuyển",
      `published: ${new Date().toISOString()}`,
    ]);
    await peer.waitFor(
      (r) => r.activity instanceof Create && r.activity.objectId?.href === `${origin}/articles/sau`,
    );
    // The ledger came along: the article published before the follow (and the
    // move) is not sent as new; without the ledger it would arrive here now.
    await new Promise((r) => setTimeout(r, 1_000));
    const creates = peer.received.filter((r) => r.activity instanceof Create);
    expect(creates.map((r) => r.activity.objectId?.href)).toEqual([`${origin}/articles/sau`]);
  }, 90_000);
});
