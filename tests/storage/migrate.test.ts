import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Interaction } from "../../src/storage/interactions.ts";
import { migrateSqliteToPostgres } from "../../src/storage/migrate.ts";
import { openStorage, sqlitePath } from "../../src/storage/open.ts";
import type { NewPicture } from "../../src/storage/pictures.ts";
import { freshPostgresUrl, postgresUrl } from "../helpers/postgres.ts";
import { delay, tempDir } from "./backends.ts";

const pg = await postgresUrl();

function reply(n: number): Interaction {
  return {
    id: `https://social.example/users/lan/statuses/${n}`,
    kind: "reply",
    author: {
      actorId: "https://social.example/users/lan",
      name: "Nguyễn Thị Lan",
      handle: "@lan@social.example",
      avatarUrl: null,
      profileUrl: "https://social.example/@lan",
    },
    slug: "khai-truong-mua-du-lich",
    inReplyTo: "https://town.example/articles/khai-truong-mua-du-lich",
    url: null,
    language: "vi",
    html: `<p>Trả lời ${n}</p>`,
    visibility: "public",
    state: "pending",
    published: new Date(Date.UTC(2024, 4, 1, 0, n)),
    updated: null,
    receivedAt: new Date(Date.UTC(2024, 4, 1, 0, n, 30)),
  };
}

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
    await storage.store.putStaff({
      username: "thu",
      passwordHash: "scrypt$32768$8$1$c2FsdA$aGFzaA",
      createdAt: new Date("2024-06-01T00:00:00Z"),
    });
    for (const n of [1, 2, 3]) await storage.store.putInteraction(reply(n));
    await storage.store.setModeration(reply(2).id, "approved");
    await storage.store.addBlock({
      kind: "domain",
      value: "spam.example",
      createdAt: new Date("2024-06-02T00:00:00Z"),
      by: "thu",
    });
    const now = Date.now();
    for (const [n, expiresAt] of [now + 86_400_000, now - 1000].entries()) {
      await storage.store.putSubscription({
        topic: "https://town.example/rss.xml",
        callback: `https://portal.example/cb/${n}`,
        secret: n === 0 ? "bí mật" : null,
        leaseSeconds: 86_400,
        expiresAt: new Date(expiresAt),
        createdAt: new Date(now - 86_400_000),
      });
    }
    for (const minute of [1, 2]) {
      await storage.store.appendAudit({
        at: new Date(Date.UTC(2024, 5, 2, 0, minute)),
        actor: "thu",
        action: "block.add",
        subject: "spam.example",
        outcome: "ok",
        address: "203.0.113.7",
        detail: { minute },
      });
    }
    // A newsroom article, published (its change writes the third audit record).
    await storage.store.applyArticleChange({
      articleId: "a1",
      create: { owner: "thu", createdAt: new Date(Date.UTC(2024, 5, 3)) },
      expectedLatest: 0,
      revision: {
        fields: {
          title: "Tin tòa soạn",
          summary: "",
          body: "Nội dung.",
          tags: ["Tin"],
          authors: [],
          language: "",
          published: null,
          slug: "tin-toa-soan",
          pinned: false,
          imageId: null,
          imageAlt: "",
        },
        savedBy: "thu",
        savedAt: new Date(Date.UTC(2024, 5, 3)),
      },
      marks: {
        number: 1,
        set: { publishedBy: "thu", publishedAt: new Date(Date.UTC(2024, 5, 3)) },
      },
      article: {
        state: "published",
        updatedAt: new Date(Date.UTC(2024, 5, 3)),
        publishedRevision: 1,
        firstPublishedAt: new Date(Date.UTC(2024, 5, 3)),
      },
      audit: {
        at: new Date(Date.UTC(2024, 5, 3)),
        actor: "thu",
        action: "article.publish",
        subject: "a1",
        outcome: "ok",
        address: null,
        detail: null,
      },
    });
    // Not copied: sessions, login failures, delivery progress.
    await storage.store.createSession({
      id: "a".repeat(64),
      username: "thu",
      csrfToken: "csrf",
      createdAt: new Date(now),
      expiresAt: new Date(now + 3_600_000),
    });
    await storage.queue.enqueue({ type: "outbox" }, { delay: delay(60_000) });
    await storage.store.putPicture(PICTURE);
  } finally {
    await storage.close();
  }
}

/** An uploaded picture with two renditions (the bytes carry every value a byte can have). */
const PICTURE: NewPicture = {
  id: "00000000000000a1",
  alt: "Họp tổ dân phố",
  uploadedBy: "thu",
  createdAt: new Date(Date.UTC(2024, 4, 1)),
  format: "jpeg",
  width: 800,
  height: 600,
  renditions: [
    {
      name: "480",
      width: 480,
      height: 360,
      mediaType: "image/webp",
      data: Uint8Array.from({ length: 512 }, (_, i) => i % 256),
    },
    {
      name: "full",
      width: 800,
      height: 600,
      mediaType: "image/jpeg",
      data: Uint8Array.from({ length: 900 }, (_, i) => (i * 7) % 256),
    },
  ],
};

describe.skipIf(pg === null)("migrating a SQLite store to PostgreSQL", () => {
  it("copies followers, ledger, KV entries, staff, interactions, blocks and live hub subscriptions; running it twice changes nothing", async () => {
    const dataDir = tempDir();
    await seedSqlite(dataDir);
    const url = await freshPostgresUrl();
    const first = await migrateSqliteToPostgres(sqlitePath(dataDir), url);
    const second = await migrateSqliteToPostgres(sqlitePath(dataDir), url);
    expect(first).toEqual({
      followers: 3,
      ledgerEntries: 1,
      kvEntries: 2,
      staff: 1,
      interactions: 3,
      blocks: 1,
      hubSubscriptions: 1,
      auditRecords: 3,
      articles: 1,
      pictures: 1,
      pendingMessages: 1,
    });
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
      expect(await target.store.getPicture(PICTURE.id)).toEqual(
        await source.store.getPicture(PICTURE.id),
      );
      for (const r of PICTURE.renditions) {
        const copied = await target.store.getRendition(PICTURE.id, r.name);
        expect(Buffer.from(copied?.data ?? []).equals(Buffer.from(r.data))).toBe(true);
      }
      const entries = [];
      for await (const entry of target.kv.list()) entries.push(entry);
      expect(entries).toHaveLength(2);
      expect(
        await target.kv.get(["_fedify", "publicKey", "https://social.example/users/u1"]),
      ).toEqual({ id: "https://social.example/users/u1#main-key", owner: "Tổ dân phố 1" });
      expect(await target.store.listStaff()).toEqual(await source.store.listStaff());
      expect(await target.store.listBlocks()).toEqual(await source.store.listBlocks());
      expect(await target.store.listPublishedArticles()).toEqual(
        await source.store.listPublishedArticles(),
      );
      expect(await target.store.listRevisions("a1")).toEqual(
        await source.store.listRevisions("a1"),
      );
      const trail = await source.store.listAudit({ limit: 10 });
      expect(await target.store.listAudit({ limit: 10 })).toEqual(trail);
      // Records written on PostgreSQL afterwards come after the copied ones.
      await target.store.appendAudit({
        ...(trail.items[0] ?? expect.fail("no trail")),
        at: new Date(),
      });
      const [newest] = (await target.store.listAudit({ limit: 1 })).items;
      expect(newest?.id).toBeGreaterThan(trail.items[0]?.id ?? Infinity);
      expect(await target.store.isBlocked("https://spam.example/users/x")).toBe(true);
      const all = { limit: 100 };
      expect(await target.store.listInteractions(all)).toEqual(
        await source.store.listInteractions(all),
      );
      const now = new Date();
      const topic = "https://town.example/rss.xml";
      expect(await target.store.listSubscriptions(topic, now)).toEqual(
        await source.store.listSubscriptions(topic, now),
      );
      expect(await target.store.listSubscriptions(topic, now)).toHaveLength(1);
      expect(await target.store.getSession("a".repeat(64), now)).toBeNull();
    } finally {
      await source.close();
      await target.close();
    }
  });

  it("carries over a moderation decision made between two runs", async () => {
    const dataDir = tempDir();
    await seedSqlite(dataDir);
    const url = await freshPostgresUrl();
    await migrateSqliteToPostgres(sqlitePath(dataDir), url);
    const source = await openStorage({ dataDir, databaseUrl: undefined });
    await source.store.setModeration(reply(3).id, "rejected");
    await source.close();
    await migrateSqliteToPostgres(sqlitePath(dataDir), url);
    const target = await openStorage({ dataDir, databaseUrl: url });
    try {
      expect(await target.store.getInteraction(reply(3).id)).toEqual({
        ...reply(3),
        state: "rejected",
      });
    } finally {
      await target.close();
    }
  });

  it("runs as a command and explains its usage", async () => {
    const run = promisify(execFile);
    const dataDir = tempDir();
    await seedSqlite(dataDir);
    const url = await freshPostgresUrl();
    const { stdout, stderr } = await run(process.execPath, [
      "src/cli/migrate-to-postgres.ts",
      sqlitePath(dataDir),
      url,
    ]);
    expect(stdout).toContain(
      "Copied 3 followers, 1 ledger entries, 2 key-value entries, 1 staff accounts, " +
        "3 interactions, 1 blocks, 1 hub subscriptions and 3 audit records",
    );
    expect(stderr).toContain("1 deliveries are still queued");
    await expect(run(process.execPath, ["src/cli/migrate-to-postgres.ts"])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Usage:"),
    });
  });
});
