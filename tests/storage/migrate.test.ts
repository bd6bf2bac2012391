import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { migrateSqliteToPostgres } from "../../src/storage/migrate.ts";
import { openStorage, sqlitePath } from "../../src/storage/open.ts";
import { freshPostgresUrl, postgresUrl } from "../helpers/postgres.ts";
import { delay, tempDir } from "./backends.ts";

const pg = await postgresUrl();

async function seedSqlite(dataDir: string): Promise<void> {
  const storage = await openStorage({ dataDir, databaseUrl: undefined });
  try {
    for (let n = 0; n < 3; n++) {
      await storage.store.addFollower({
        actorId: `https://social.example/users/u${n}`,
        followId: `https://social.example/follows/${n}`,
        inbox: `https://social.example/users/u${n}/inbox`,
        sharedInbox: n === 0 ? null : "https://social.example/inbox",
        createdAt: new Date(Date.UTC(2024, 5, 1, 0, n)),
      });
    }
    await storage.store.putLedgerEntry({
      slug: "khai-truong-mua-du-lich",
      file: "articles/khai-truong-mua-du-lich.md",
      hash: "sha256-1",
      action: "update",
      activityId: "https://town.example/articles/khai-truong-mua-du-lich#update-2",
      version: 2,
      published: new Date("2024-04-30T01:00:00Z"),
      updated: new Date("2024-05-01T01:00:00Z"),
      queuedAt: new Date("2024-05-01T01:00:01Z"),
    });
    await storage.kv.set(["_fedify", "publicKey", "https://social.example/users/u1"], {
      id: "https://social.example/users/u1#main-key",
      owner: "Tổ dân phố 1",
    });
    await storage.kv.set(["idempotence", "x"], true);
    await storage.queue.enqueue({ type: "outbox" }, { delay: delay(60_000) });
  } finally {
    await storage.close();
  }
}

describe.skipIf(pg === null)("migrating a SQLite store to PostgreSQL", () => {
  it("copies followers, ledger and KV entries, and running it twice changes nothing", async () => {
    const dataDir = tempDir();
    await seedSqlite(dataDir);
    const url = await freshPostgresUrl();
    const first = await migrateSqliteToPostgres(sqlitePath(dataDir), url);
    const second = await migrateSqliteToPostgres(sqlitePath(dataDir), url);
    expect(first).toEqual({ followers: 3, ledgerEntries: 1, kvEntries: 2, pendingMessages: 1 });
    expect(second).toEqual(first);

    const source = await openStorage({ dataDir, databaseUrl: undefined });
    const target = await openStorage({ dataDir, databaseUrl: url });
    try {
      expect(target.backend).toBe("postgres");
      expect(await target.store.countFollowers()).toBe(3);
      expect((await target.store.listFollowers({ limit: 10 })).items).toEqual(
        (await source.store.listFollowers({ limit: 10 })).items,
      );
      expect(await target.store.listLedger()).toEqual(await source.store.listLedger());
      const entries = [];
      for await (const entry of target.kv.list()) entries.push(entry);
      expect(entries).toHaveLength(2);
      expect(
        await target.kv.get(["_fedify", "publicKey", "https://social.example/users/u1"]),
      ).toEqual({ id: "https://social.example/users/u1#main-key", owner: "Tổ dân phố 1" });
    } finally {
      await source.close();
      await target.close();
    }
  });

  it("runs as a command and explains its usage", async () => {
    const run = promisify(execFile);
    const dataDir = tempDir();
    await seedSqlite(dataDir);
    const url = await freshPostgresUrl();
    const { stdout, stderr } = await run(process.execPath, [
      "src/migrate-to-postgres.ts",
      sqlitePath(dataDir),
      url,
    ]);
    expect(stdout).toContain("Copied 3 followers, 1 ledger entries and 2 key-value entries");
    expect(stderr).toContain("1 deliveries are still queued");
    await expect(run(process.execPath, ["src/migrate-to-postgres.ts"])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Usage:"),
    });
  });
});
