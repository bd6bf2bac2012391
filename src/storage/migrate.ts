/**
 * Moves an embedded SQLite store to PostgreSQL (going from one process to
 * scale-out): followers, the publication ledger and Fedify's key–value entries.
 * Idempotent: running it again updates what is there and adds nothing twice.
 */
import { existsSync } from "node:fs";
import { getLogger } from "@logtape/logtape";
import type { JSONValue } from "postgres";
import { connectPostgres } from "./open.ts";
import { PostgresStore } from "./postgres/store.ts";
import { openSqlite } from "./sqlite/open.ts";
import { SqliteStore } from "./sqlite/store.ts";

const logger = getLogger(["loa", "storage", "migrate"]);

export interface MigrationReport {
  followers: number;
  ledgerEntries: number;
  kvEntries: number;
  /**
   * Deliveries still queued in SQLite. They are not copied (a copy run twice
   * would send them twice): stop the server and let its queue drain first.
   */
  pendingMessages: number;
}

/** Copies `sqliteFile`'s state into the PostgreSQL database at `postgresUrl`. */
export async function migrateSqliteToPostgres(
  sqliteFile: string,
  postgresUrl: string,
): Promise<MigrationReport> {
  if (!existsSync(sqliteFile)) throw new Error(`No SQLite store at ${sqliteFile}`);
  const sql = await connectPostgres(postgresUrl);
  const target = new PostgresStore(sql);
  let db: ReturnType<typeof openSqlite>;
  try {
    db = openSqlite(sqliteFile);
  } catch (error) {
    await target.close();
    throw error;
  }
  const source = new SqliteStore(db);
  try {
    let followers = 0;
    let cursor: string | null = null;
    do {
      const page = await source.listFollowers({ cursor, limit: 500 });
      for (const follower of page.items) await target.addFollower(follower);
      followers += page.items.length;
      cursor = page.next;
    } while (cursor !== null);

    const ledger = await source.listLedger();
    for (const entry of ledger) await target.putLedgerEntry(entry);

    // Read the table itself, not `kv.list()`, to carry each entry's expiry over.
    const rows = db
      .prepare("SELECT key, value, expires_at FROM kv WHERE expires_at IS NULL OR expires_at > ?")
      .all(Date.now()) as unknown as { key: string; value: string; expires_at: number | null }[];
    for (const row of rows) {
      const value = JSON.parse(row.value) as JSONValue;
      const expires = row.expires_at == null ? null : new Date(Number(row.expires_at));
      await sql`
        INSERT INTO kv (key, value, expires_at)
        VALUES (${sql.array(JSON.parse(row.key) as string[])}::text[],
                ${value === null ? null : sql.json(value)}, ${expires})
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`;
    }

    const pending = db.prepare("SELECT count(*) AS n FROM queue").get() as { n: number };
    const report: MigrationReport = {
      followers,
      ledgerEntries: ledger.length,
      kvEntries: rows.length,
      pendingMessages: Number(pending.n),
    };
    logger.info(
      "Copied {followers} followers, {ledgerEntries} ledger entries, {kvEntries} KV entries",
      {
        ...report,
      },
    );
    return report;
  } finally {
    await target.close();
    await source.close();
  }
}
