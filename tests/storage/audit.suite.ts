import { DatabaseSync } from "node:sqlite";
import postgres from "postgres";
import { expect, it } from "vitest";
import type { AuditEntry } from "../../src/storage/audit.ts";
import { sqlitePath } from "../../src/storage/open.ts";
import { insertAuditRow as insertPostgres } from "../../src/storage/postgres/audit.ts";
import { insertAuditRow as insertSqlite } from "../../src/storage/sqlite/audit.ts";
import { openSqlite, transaction } from "../../src/storage/sqlite/open.ts";
import type { Backend, Target } from "./backends.ts";

const T0 = Date.UTC(2026, 11, 1, 8, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function entry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: at(n),
    actor: "thu",
    action: "article.save",
    subject: `article-${n}`,
    outcome: "ok",
    address: "203.0.113.7",
    detail: { revision: n },
    ...overrides,
  };
}

/** Runs `fn` with the target's raw database, as an intruder with SQL would have it. */
async function withRawDatabase(
  target: Target,
  fn: (run: (statement: string) => Promise<void>) => Promise<void>,
): Promise<void> {
  if (target.databaseUrl) {
    const sql = postgres(target.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await fn(async (statement) => {
        await sql.unsafe(statement);
      });
    } finally {
      await sql.end({ timeout: 1 });
    }
  } else {
    const db = new DatabaseSync(sqlitePath(target.dataDir));
    try {
      await fn(async (statement) => {
        db.exec(statement);
      });
    } finally {
      db.close();
    }
  }
}

/** The behaviour every {@link Store} shows for the audit trail. */
export function auditSuite(backend: Backend): void {
  it("appends records and lists them newest first, with every field as written", async () => {
    const target = await backend.target();
    const { store } = await target.open();
    try {
      await store.appendAudit(entry(1));
      await store.appendAudit(
        entry(2, {
          actor: null,
          action: "login.failed",
          subject: "an",
          outcome: "failed",
          detail: null,
        }),
      );
      const page = await store.listAudit({ limit: 10 });
      expect(page.next).toBeNull();
      expect(page.items.map(({ id: _, ...rest }) => rest)).toEqual([
        entry(2, {
          actor: null,
          action: "login.failed",
          subject: "an",
          outcome: "failed",
          detail: null,
        }),
        entry(1),
      ]);
      expect(page.items[0]?.id).toBeGreaterThan(page.items[1]?.id ?? Infinity);
    } finally {
      await store.close();
    }
  });

  it("filters by person, action (exact or prefix) and time, and pages without repeats", async () => {
    const target = await backend.target();
    const { store } = await target.open();
    try {
      for (let n = 0; n < 25; n++) {
        await store.appendAudit(
          entry(n, {
            actor: n % 2 === 0 ? "thu" : "an",
            action: n % 5 === 0 ? "login" : `article.${n % 3 === 0 ? "publish" : "save"}`,
          }),
        );
      }
      const byAn = await store.listAudit({ actor: "an", limit: 100 });
      expect(byAn.items).toHaveLength(12);
      expect(byAn.items.every((r) => r.actor === "an")).toBe(true);
      const articles = await store.listAudit({ action: "article.", limit: 100 });
      expect(articles.items).toHaveLength(20);
      const publishes = await store.listAudit({ action: "article.publish", limit: 100 });
      expect(publishes.items.map((r) => r.subject)).toEqual([
        "article-24",
        "article-21",
        "article-18",
        "article-12",
        "article-9",
        "article-6",
        "article-3",
      ]);
      const window = await store.listAudit({ since: at(10), until: at(15), limit: 100 });
      expect(window.items.map((r) => r.subject)).toEqual([
        "article-14",
        "article-13",
        "article-12",
        "article-11",
        "article-10",
      ]);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.listAudit({ cursor, limit: 7 });
        seen.push(...page.items.map((r) => r.subject ?? ""));
        cursor = page.next;
      } while (cursor);
      expect(seen).toHaveLength(25);
      expect(new Set(seen).size).toBe(25);
      expect(await store.listAudit({ cursor: "'; DROP TABLE audit; --", limit: 5 })).toEqual({
        items: [],
        next: null,
      });
    } finally {
      await store.close();
    }
  });

  it("cuts an oversized detail instead of storing it whole", async () => {
    const target = await backend.target();
    const { store } = await target.open();
    try {
      await store.appendAudit(entry(1, { detail: { comment: "x".repeat(100_000) } }));
      const [record] = (await store.listAudit({ limit: 1 })).items;
      expect(JSON.stringify(record?.detail).length).toBeLessThanOrEqual(4200);
      expect(record?.detail).toHaveProperty("truncated");
    } finally {
      await store.close();
    }
  });

  it("refuses every UPDATE, DELETE (and TRUNCATE) at the database, and keeps records after a restart", async () => {
    const target = await backend.target();
    const first = await target.open();
    await first.store.appendAudit(entry(1));
    await first.store.close();
    await withRawDatabase(target, async (run) => {
      await expect(run("UPDATE audit SET actor = 'someone-else'")).rejects.toThrow(/append-only/);
      await expect(run("DELETE FROM audit")).rejects.toThrow(/append-only/);
      if (target.databaseUrl) await expect(run("TRUNCATE audit")).rejects.toThrow(/append-only/);
    });
    const second = await target.open();
    try {
      const records = (await second.store.listAudit({ limit: 10 })).items;
      expect(records.map(({ id: _, ...rest }) => rest)).toEqual([entry(1)]);
    } finally {
      await second.store.close();
    }
  });

  it("writes a record with its change or not at all (one transaction)", async () => {
    const target = await backend.target();
    const failure = new Error("the change failed after its record was written");
    if (target.databaseUrl) {
      const { store } = await target.open();
      await store.close();
      const sql = postgres(target.databaseUrl, { max: 1, onnotice: () => {} });
      try {
        await expect(
          sql.begin(async (tx) => {
            await insertPostgres(tx, entry(1));
            throw failure;
          }),
        ).rejects.toBe(failure);
        await sql.begin(async (tx) => insertPostgres(tx, entry(2)));
      } finally {
        await sql.end({ timeout: 1 });
      }
    } else {
      const db = openSqlite(sqlitePath(target.dataDir));
      try {
        expect(() =>
          transaction(db, () => {
            insertSqlite(db, entry(1));
            throw failure;
          }),
        ).toThrow(failure);
        transaction(db, () => insertSqlite(db, entry(2)));
      } finally {
        db.close();
      }
    }
    const { store } = await target.open();
    try {
      expect((await store.listAudit({ limit: 10 })).items.map((r) => r.subject)).toEqual([
        "article-2",
      ]);
    } finally {
      await store.close();
    }
  });

  it("keeps a removed staff member's records", async () => {
    const target = await backend.target();
    const { store } = await target.open();
    try {
      await store.putStaff({
        username: "thu",
        passwordHash: "scrypt$1$1$1$c2FsdA$eA",
        createdAt: at(0),
      });
      await store.appendAudit(entry(1));
      await store.removeStaff("thu");
      expect((await store.listAudit({ actor: "thu", limit: 10 })).items).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
}
