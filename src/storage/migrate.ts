/**
 * Moves an embedded SQLite store to PostgreSQL (going from one process to
 * scale-out): followers, the publication ledger, Fedify's key–value entries,
 * staff accounts, interactions (with their moderation), blocks and live WebSub
 * subscriptions, the audit trail and uploaded pictures. Idempotent: running it again updates what
 * is there and adds nothing twice.
 *
 * Not copied: staff sessions (staff log in again; a session is cheap to
 * replace), one-time password links (an admin makes a new one), login failures (they matter for minutes) and delivery progress
 * (the old server's history; its queue is not copied either, see
 * {@link MigrationReport.pendingMessages}), the avatar cache (fetched again
 * when shown), and the mail outbox (as with the queue, a copy run twice would
 * send a message twice: let the server send its mail before moving).
 */
import { existsSync } from "node:fs";
import type { DatabaseSync } from "node:sqlite";
import { getLogger } from "@logtape/logtape";
import type { JSONValue, Sql } from "postgres";
import type { Picture } from "../media/picture.ts";
import { type AuditRow, toAuditRecord } from "./audit-rows.ts";
import type { Page } from "./cursor.ts";
import { type SubscriptionRow, toSubscription } from "./hub-rows.ts";
import { type InteractionRow, toInteraction } from "./interaction-rows.ts";
import { copyArticles } from "./migrate-articles.ts";
import { connectPostgres } from "./open.ts";
import { createPostgresStore } from "./postgres/store.ts";
import { type SqliteTime, sqliteTime } from "./rows.ts";
import { openSqlite } from "./sqlite/open.ts";
import { createSqliteStore } from "./sqlite/store.ts";
import type { Follower, Store } from "./store.ts";

const logger = getLogger(["loa", "storage", "migrate"]);

export interface MigrationReport {
  followers: number;
  ledgerEntries: number;
  kvEntries: number;
  staff: number;
  interactions: number;
  blocks: number;
  /** Subscriptions whose lease had not ended (ended ones are left behind). */
  hubSubscriptions: number;
  /** Audit records, with their ids (a second run adds none twice). */
  auditRecords: number;
  /** Newsroom articles, each with every revision. */
  articles: number;
  /** Uploaded pictures with all their renditions (one already there is left as it is). */
  pictures: number;
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
  const target = createPostgresStore(sql);
  let db: ReturnType<typeof openSqlite>;
  try {
    db = openSqlite(sqliteFile);
  } catch (error) {
    await target.close();
    throw error;
  }
  const source = createSqliteStore(db);
  try {
    let followers = 0;
    let cursor: string | null = null;
    do {
      const page: Page<Follower> = await source.listFollowers({ cursor, limit: 500 });
      for (const follower of page.items) await target.addFollower(follower);
      followers += page.items.length;
      cursor = page.next;
    } while (cursor !== null);

    const ledger = await source.listLedger();
    for (const entry of ledger) await target.putLedgerEntry(entry);

    const staff = await source.listStaff();
    // Admins first: on a re-run an admin made since is in place before one who
    // stopped being one loses the role, which the target refuses to its last admin.
    const isAdmin = (account: (typeof staff)[number]) => account.roles.includes("admin");
    for (const account of [...staff.filter(isAdmin), ...staff.filter((a) => !isAdmin(a))]) {
      await target.putStaff(account);
      // On a re-run the account exists already: its roles and address are carried over too.
      const roles = await target.setStaffRoles(account.username, account.roles);
      if (roles === "last-admin") {
        logger.warn("Kept {username} an admin on PostgreSQL: the source has no admin left", {
          username: account.username,
        });
      }
      await target.setStaffEmail(account.username, account.email);
    }

    const blocks = await source.listBlocks();
    for (const block of blocks) await target.addBlock(block);

    const report: MigrationReport = {
      followers,
      ledgerEntries: ledger.length,
      kvEntries: await copyKv(db, sql),
      staff: staff.length,
      interactions: await copyInteractions(db, target),
      blocks: blocks.length,
      hubSubscriptions: await copyHubSubscriptions(db, target),
      auditRecords: await copyAudit(db, sql),
      articles: await copyArticles(db, sql),
      pictures: await copyPictures(source, target),
      pendingMessages: Number(
        (db.prepare("SELECT count(*) AS n FROM queue").get() as { n: number }).n,
      ),
    };
    logger.info(
      "Copied {followers} followers, {ledgerEntries} ledger entries, {kvEntries} KV entries, " +
        "{staff} staff accounts, {interactions} interactions, {blocks} blocks, " +
        "{hubSubscriptions} hub subscriptions, {auditRecords} audit records, {pictures} pictures, {articles} articles",
      { ...report },
    );
    return report;
  } finally {
    await target.close();
    await source.close();
  }
}

/** Pictures page by page, each with the bytes of every rendition; ids are kept, so links hold. */
async function copyPictures(source: Store, target: Store): Promise<number> {
  let copied = 0;
  let cursor: string | null = null;
  do {
    const page: Page<Picture> = await source.listPictures({ cursor, limit: 50 });
    for (const picture of page.items) {
      copied++;
      if ((await target.getPicture(picture.id)) !== null) continue;
      const renditions = [];
      for (const r of picture.renditions) {
        const bytes = await source.getRendition(picture.id, r.name);
        if (bytes) renditions.push({ ...r, data: bytes.data });
      }
      await target.putPicture({ ...picture, renditions });
    }
    cursor = page.next;
  } while (cursor !== null);
  return copied;
}

/** Reads the table itself, not `kv.list()`, to carry each entry's expiry over. */
async function copyKv(db: DatabaseSync, sql: Sql): Promise<number> {
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
  return rows.length;
}

/**
 * In batches by rowid (replies may be many). The moderation is set apart: a
 * second run finds the content unchanged but must still carry over a decision
 * staff made in between.
 */
async function copyInteractions(db: DatabaseSync, target: Store): Promise<number> {
  const batch = db.prepare(
    "SELECT rowid AS n, * FROM interactions WHERE rowid > ? ORDER BY rowid LIMIT 500",
  );
  let copied = 0;
  let after = 0;
  for (;;) {
    const rows = batch.all(after) as unknown as (InteractionRow<SqliteTime> & { n: number })[];
    if (rows.length === 0) return copied;
    for (const row of rows) {
      const interaction = toInteraction(sqliteTime, row);
      // "refused": PostgreSQL holds that id from another actor; leave it be.
      if ((await target.putInteraction(interaction)) !== "refused") {
        await target.setModeration(interaction.id, interaction.state);
      }
    }
    copied += rows.length;
    after = Number(rows.at(-1)?.n);
  }
}

async function copyHubSubscriptions(db: DatabaseSync, target: Store): Promise<number> {
  const rows = db
    .prepare("SELECT * FROM hub_subscriptions WHERE expires_at > ?")
    .all(Date.now()) as unknown as SubscriptionRow<SqliteTime>[];
  for (const row of rows) await target.putSubscription(toSubscription(sqliteTime, row));
  return rows.length;
}

/**
 * Keeps each record's id, so the trail reads in the same order and a second
 * run skips what it copied; then moves the identity past them, so records
 * written on PostgreSQL afterwards follow.
 */
async function copyAudit(db: DatabaseSync, sql: Sql): Promise<number> {
  const batch = db.prepare("SELECT * FROM audit WHERE id > ? ORDER BY id LIMIT 500");
  let copied = 0;
  let after = 0;
  for (;;) {
    const rows = batch.all(after) as unknown as AuditRow<SqliteTime>[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const record = toAuditRecord(sqliteTime, row);
      await sql`
        INSERT INTO audit (id, at, actor, action, subject, outcome, address, detail)
        VALUES (${record.id}, ${record.at}, ${record.actor}, ${record.action}, ${record.subject},
                ${record.outcome}, ${record.address}, ${row.detail})
        ON CONFLICT (id) DO NOTHING`;
    }
    copied += rows.length;
    after = Number(rows.at(-1)?.id);
  }
  await sql`SELECT setval(pg_get_serial_sequence('audit', 'id'), coalesce((SELECT max(id) FROM audit), 0) + 1, false)`;
  return copied;
}
