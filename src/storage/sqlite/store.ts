import type { DatabaseSync } from "node:sqlite";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import type { Follower, LedgerAction, LedgerEntry, Page, Store } from "../store.ts";
import { prepared, transaction } from "./open.ts";

interface FollowerRow {
  actor_id: string;
  follow_id: string;
  inbox: string;
  shared_inbox: string | null;
  created_at: number;
}

interface LedgerRow {
  slug: string;
  file: string;
  hash: string;
  action: string;
  activity_id: string;
  version: number;
  published: number;
  updated: number | null;
  queued_at: number | null;
}

/**
 * The {@link Store} on the embedded SQLite database (one process). Takes a
 * handle from `openSqlite()`; {@link close} closes that handle.
 */
export class SqliteStore implements Store {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  async addFollower(follower: Follower): Promise<boolean> {
    return transaction(this.#db, () => {
      const existed = prepared(this.#db, "SELECT 1 FROM followers WHERE actor_id = ?").get(
        follower.actorId,
      );
      // A refresh keeps the original created_at, so paging order stays stable.
      prepared(
        this.#db,
        `INSERT INTO followers (actor_id, follow_id, inbox, shared_inbox, created_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (actor_id) DO UPDATE SET
             follow_id = excluded.follow_id, inbox = excluded.inbox,
             shared_inbox = excluded.shared_inbox`,
      ).run(
        follower.actorId,
        follower.followId,
        follower.inbox,
        follower.sharedInbox,
        follower.createdAt.getTime(),
      );
      return existed === undefined;
    });
  }

  async removeFollower(actorId: string, followId?: string): Promise<boolean> {
    const result =
      followId === undefined
        ? prepared(this.#db, "DELETE FROM followers WHERE actor_id = ?").run(actorId)
        : prepared(this.#db, "DELETE FROM followers WHERE actor_id = ? AND follow_id = ?").run(
            actorId,
            followId,
          );
    return Number(result.changes) > 0;
  }

  async getFollower(actorId: string): Promise<Follower | null> {
    const row = prepared(this.#db, "SELECT * FROM followers WHERE actor_id = ?").get(actorId);
    return row === undefined ? null : toFollower(row as unknown as FollowerRow);
  }

  async listFollowers(options: { cursor?: string | null; limit: number }): Promise<Page<Follower>> {
    const cursor = decodeCursor(options.cursor);
    if (cursor === false) return { items: [], next: null };
    const limit = Math.max(1, Math.floor(options.limit));
    // One row more than asked tells whether there is a next page.
    const rows = (cursor === null
      ? prepared(this.#db, "SELECT * FROM followers ORDER BY created_at, actor_id LIMIT ?").all(
          limit + 1,
        )
      : prepared(
          this.#db,
          `SELECT * FROM followers
               WHERE created_at > ? OR (created_at = ? AND actor_id > ?)
               ORDER BY created_at, actor_id LIMIT ?`,
        ).all(
          cursor.createdAt,
          cursor.createdAt,
          cursor.actorId,
          limit + 1,
        )) as unknown as FollowerRow[];
    const items = rows.slice(0, limit).map(toFollower);
    const last = items.at(-1);
    const next =
      rows.length > limit && last
        ? encodeCursor({ createdAt: last.createdAt.getTime(), actorId: last.actorId })
        : null;
    return { items, next };
  }

  async countFollowers(): Promise<number> {
    const row = prepared(this.#db, "SELECT count(*) AS n FROM followers").get() as { n: number };
    return Number(row.n);
  }

  async getLedgerEntry(slug: string): Promise<LedgerEntry | null> {
    const row = prepared(this.#db, "SELECT * FROM ledger WHERE slug = ?").get(slug);
    return row === undefined ? null : toLedgerEntry(row as unknown as LedgerRow);
  }

  async listLedger(): Promise<LedgerEntry[]> {
    const rows = prepared(this.#db, "SELECT * FROM ledger ORDER BY slug").all();
    return (rows as unknown as LedgerRow[]).map(toLedgerEntry);
  }

  async putLedgerEntry(entry: LedgerEntry): Promise<void> {
    prepared(
      this.#db,
      `INSERT INTO ledger
           (slug, file, hash, action, activity_id, version, published, updated, queued_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (slug) DO UPDATE SET
           file = excluded.file, hash = excluded.hash, action = excluded.action,
           activity_id = excluded.activity_id, version = excluded.version,
           published = excluded.published, updated = excluded.updated,
           queued_at = excluded.queued_at`,
    ).run(
      entry.slug,
      entry.file,
      entry.hash,
      entry.action,
      entry.activityId,
      entry.version,
      entry.published.getTime(),
      entry.updated?.getTime() ?? null,
      entry.queuedAt?.getTime() ?? null,
    );
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const row = prepared(
      this.#db,
      `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
         RETURNING holder`,
    ).get(name, holder, now + ttlMs, now);
    return row !== undefined;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    prepared(this.#db, "DELETE FROM leases WHERE name = ? AND holder = ?").run(name, holder);
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}

function toFollower(row: FollowerRow): Follower {
  return {
    actorId: row.actor_id,
    followId: row.follow_id,
    inbox: row.inbox,
    sharedInbox: row.shared_inbox,
    createdAt: new Date(Number(row.created_at)),
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
    published: new Date(Number(row.published)),
    updated: row.updated == null ? null : new Date(Number(row.updated)),
    queuedAt: row.queued_at == null ? null : new Date(Number(row.queued_at)),
  };
}
