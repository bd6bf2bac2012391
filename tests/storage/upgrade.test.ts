/**
 * A store made by the previous release (schema step 1: followers without a
 * host column) opened by this one: its followers can be removed by host.
 */
import { DatabaseSync } from "node:sqlite";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { sqlitePath } from "../../src/storage/open.ts";
import { type Backend, backends, type Target } from "./backends.ts";
import { reaction, SLUG } from "./interaction-fixtures.ts";

const V2_TABLES = [
  // Later than step 2, but it refers to `staff`: dropped first, made again by its own step.
  "staff_password_links",
  "interactions",
  "blocks",
  "staff_sessions",
  "staff_devices",
  "staff",
  "login_failures",
  "delivery_activities",
  "deliveries",
  "hub_subscriptions",
  // Not a step-2 table, but a store from step 1 has none either: its step must run again.
  "audit",
];

const OLD_FOLLOWERS = [
  "https://Old.Example/users/a",
  "https://old.example:443/users/b",
  "https://old.example:8443/users/c",
  "https://new.example/users/d",
];

/** Turns a freshly made store back into what step 1 left, with followers in it. */
async function downgrade(backend: Backend, target: Target): Promise<void> {
  if (backend.name === "sqlite") {
    const db = new DatabaseSync(sqlitePath(target.dataDir));
    try {
      db.exec("DROP INDEX followers_host; ALTER TABLE followers DROP COLUMN host");
      for (const table of V2_TABLES) db.exec(`DROP TABLE ${table}`);
      db.exec("PRAGMA user_version = 1");
      const insert = db.prepare(
        "INSERT INTO followers (actor_id, follow_id, inbox, created_at) VALUES (?, ?, ?, ?)",
      );
      for (const [n, id] of OLD_FOLLOWERS.entries()) insert.run(id, `${id}#f`, `${id}/inbox`, n);
    } finally {
      db.close();
    }
    return;
  }
  const sql = postgres(target.databaseUrl as string, { max: 1, onnotice: () => {} });
  try {
    await sql`DROP INDEX followers_host`;
    await sql`ALTER TABLE followers DROP COLUMN host`;
    for (const table of V2_TABLES) await sql`DROP TABLE ${sql(table)}`;
    await sql`UPDATE loa_schema_version SET version = 1`;
    for (const [n, id] of OLD_FOLLOWERS.entries()) {
      await sql`
        INSERT INTO followers (actor_id, follow_id, inbox, created_at)
        VALUES (${id}, ${`${id}#f`}, ${`${id}/inbox`}, ${new Date(n)})`;
    }
  } finally {
    await sql.end();
  }
}

async function followersWithoutHost(backend: Backend, target: Target): Promise<number> {
  if (backend.name === "sqlite") {
    const db = new DatabaseSync(sqlitePath(target.dataDir), { readOnly: true });
    try {
      const row = db.prepare("SELECT count(*) AS n FROM followers WHERE host IS NULL").get();
      return Number(row?.n);
    } finally {
      db.close();
    }
  }
  const sql = postgres(target.databaseUrl as string, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ n: string }[]>`
      SELECT count(*) AS n FROM followers WHERE host IS NULL`;
    return Number(row?.n);
  } finally {
    await sql.end();
  }
}

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`Upgrading a ${backend.name} store`, () => {
    it("fills the host of followers stored before the host column existed", async () => {
      const target = await backend.target();
      await (await target.open()).close();
      await downgrade(backend, target);
      const storage = await target.open();
      try {
        // The schema step filled the column itself (not only the removal below).
        expect(await followersWithoutHost(backend, target)).toBe(0);
        expect(await storage.store.countFollowers()).toBe(4);
        // Host names compare lower-case; a domain covers every port.
        expect(await storage.store.removeFollowersFromHost("old.example")).toBe(3);
        expect(await storage.store.getFollower("https://new.example/users/d")).not.toBeNull();
        // The new tables are there and empty.
        expect(await storage.store.listBlocks()).toEqual([]);
        expect(await storage.store.listStaff()).toEqual([]);
      } finally {
        await storage.close();
      }
    });

    it("keeps one like per actor and article, and makes a block with a port cover the domain", async () => {
      const target = await backend.target();
      const binh = "https://other.example/users/binh";
      const first = await target.open();
      await first.store.putInteraction(reaction("like", binh, SLUG, 1));
      await first.store.addBlock({
        kind: "domain",
        value: "spam.example",
        createdAt: new Date(0),
        by: null,
      });
      await first.close();
      // What the step before left: no unique index, a second like, blocks with ports.
      const second = reaction("like", binh, SLUG, 2);
      if (backend.name === "sqlite") {
        const db = new DatabaseSync(sqlitePath(target.dataDir));
        try {
          db.exec("DROP INDEX interactions_one_reaction; PRAGMA user_version = 3");
          db.prepare(
            `INSERT INTO interactions (id, kind, actor_id, actor_host, slug, visibility, state,
               published, received_at) VALUES (?, 'like', ?, 'other.example', ?, 'public', 'approved', 0, 9)`,
          ).run(second.id, binh, SLUG);
          db.exec(`INSERT INTO blocks (kind, value, created_at) VALUES
            ('domain', 'spam.example:8443', 1), ('domain', 'evil.example:8443', 2)`);
        } finally {
          db.close();
        }
      } else {
        const sql = postgres(target.databaseUrl as string, { max: 1, onnotice: () => {} });
        try {
          await sql`DROP INDEX interactions_one_reaction`;
          await sql`UPDATE loa_schema_version SET version = 3`;
          await sql`
            INSERT INTO interactions (id, kind, actor_id, actor_host, slug, visibility, state,
              published, received_at)
            VALUES (${second.id}, 'like', ${binh}, 'other.example', ${SLUG}, 'public', 'approved',
              ${new Date(0)}, ${new Date(Date.UTC(2030, 0))})`;
          await sql`INSERT INTO blocks (kind, value, created_at) VALUES
            ('domain', 'spam.example:8443', ${new Date(1)}),
            ('domain', 'evil.example:8443', ${new Date(2)})`;
        } finally {
          await sql.end();
        }
      }
      const storage = await target.open();
      try {
        expect((await storage.store.countInteractions(SLUG)).likes).toBe(1);
        expect(await storage.store.getInteraction(second.id)).toBeNull();
        expect((await storage.store.listBlocks()).map((b) => b.value)).toEqual([
          "spam.example",
          "evil.example",
        ]);
        expect(await storage.store.isBlocked("https://evil.example/users/x")).toBe(true);
      } finally {
        await storage.close();
      }
    });
  });
}
