import type { Sql } from "postgres";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import type { Follower, LedgerAction, LedgerEntry, Page, Store } from "../store.ts";

interface FollowerRow {
  actor_id: string;
  follow_id: string;
  inbox: string;
  shared_inbox: string | null;
  created_at: Date;
}

interface LedgerRow {
  slug: string;
  file: string;
  hash: string;
  action: string;
  activity_id: string;
  version: number;
  published: Date;
  updated: Date | null;
  queued_at: Date | null;
}

/**
 * The {@link Store} on PostgreSQL (scale-out: several processes share it).
 * Takes a migrated connection pool; {@link close} ends that pool.
 */
export class PostgresStore implements Store {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async addFollower(follower: Follower): Promise<boolean> {
    // `xmax = 0` holds only for a freshly inserted row, not an updated one. A
    // refresh keeps the original created_at, so paging order stays stable.
    const rows = await this.#sql<{ inserted: boolean }[]>`
      INSERT INTO followers (actor_id, follow_id, inbox, shared_inbox, created_at)
      VALUES (${follower.actorId}, ${follower.followId}, ${follower.inbox},
              ${follower.sharedInbox}, ${follower.createdAt})
      ON CONFLICT (actor_id) DO UPDATE SET
        follow_id = excluded.follow_id, inbox = excluded.inbox,
        shared_inbox = excluded.shared_inbox
      RETURNING (xmax = 0) AS inserted`;
    return rows[0]?.inserted === true;
  }

  async removeFollower(actorId: string, followId?: string): Promise<boolean> {
    const result =
      followId === undefined
        ? await this.#sql`DELETE FROM followers WHERE actor_id = ${actorId}`
        : await this.#sql`
            DELETE FROM followers WHERE actor_id = ${actorId} AND follow_id = ${followId}`;
    return result.count > 0;
  }

  async getFollower(actorId: string): Promise<Follower | null> {
    const rows = await this.#sql<FollowerRow[]>`
      SELECT * FROM followers WHERE actor_id = ${actorId}`;
    return rows[0] ? toFollower(rows[0]) : null;
  }

  async listFollowers(options: { cursor?: string | null; limit: number }): Promise<Page<Follower>> {
    const cursor = decodeCursor(options.cursor);
    if (cursor === false) return { items: [], next: null };
    const limit = Math.max(1, Math.floor(options.limit));
    // One row more than asked tells whether there is a next page.
    const rows =
      cursor === null
        ? await this.#sql<FollowerRow[]>`
            SELECT * FROM followers ORDER BY created_at, actor_id LIMIT ${limit + 1}`
        : await this.#sql<FollowerRow[]>`
            SELECT * FROM followers
            WHERE (created_at, actor_id) > (${new Date(cursor.createdAt)}, ${cursor.actorId})
            ORDER BY created_at, actor_id LIMIT ${limit + 1}`;
    const items = rows.slice(0, limit).map(toFollower);
    const last = items.at(-1);
    const next =
      rows.length > limit && last
        ? encodeCursor({ createdAt: last.createdAt.getTime(), actorId: last.actorId })
        : null;
    return { items, next };
  }

  async countFollowers(): Promise<number> {
    const rows = await this.#sql<{ n: string }[]>`SELECT count(*) AS n FROM followers`;
    return Number(rows[0]?.n ?? 0);
  }

  async getLedgerEntry(slug: string): Promise<LedgerEntry | null> {
    const rows = await this.#sql<LedgerRow[]>`SELECT * FROM ledger WHERE slug = ${slug}`;
    return rows[0] ? toLedgerEntry(rows[0]) : null;
  }

  async listLedger(): Promise<LedgerEntry[]> {
    const rows = await this.#sql<LedgerRow[]>`SELECT * FROM ledger ORDER BY slug`;
    return rows.map(toLedgerEntry);
  }

  async putLedgerEntry(entry: LedgerEntry): Promise<void> {
    await this.#sql`
      INSERT INTO ledger
        (slug, file, hash, action, activity_id, version, published, updated, queued_at)
      VALUES (${entry.slug}, ${entry.file}, ${entry.hash}, ${entry.action}, ${entry.activityId},
              ${entry.version}, ${entry.published}, ${entry.updated}, ${entry.queuedAt})
      ON CONFLICT (slug) DO UPDATE SET
        file = excluded.file, hash = excluded.hash, action = excluded.action,
        activity_id = excluded.activity_id, version = excluded.version,
        published = excluded.published, updated = excluded.updated,
        queued_at = excluded.queued_at`;
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    // The database's clock, so processes on machines with skewed clocks agree.
    const rows = await this.#sql`
      INSERT INTO leases (name, holder, expires_at)
      VALUES (${name}, ${holder}, clock_timestamp() + ${ttlMs} * interval '1 millisecond')
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
      WHERE leases.holder = excluded.holder OR leases.expires_at <= clock_timestamp()
      RETURNING holder`;
    return rows.length > 0;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.#sql`DELETE FROM leases WHERE name = ${name} AND holder = ${holder}`;
  }

  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }
}

function toFollower(row: FollowerRow): Follower {
  return {
    actorId: row.actor_id,
    followId: row.follow_id,
    inbox: row.inbox,
    sharedInbox: row.shared_inbox,
    createdAt: row.created_at,
  };
}

function toLedgerEntry(row: LedgerRow): LedgerEntry {
  return {
    slug: row.slug,
    file: row.file,
    hash: row.hash,
    action: row.action as LedgerAction,
    activityId: row.activity_id,
    version: Number(row.version),
    published: row.published,
    updated: row.updated,
    queuedAt: row.queued_at,
  };
}
