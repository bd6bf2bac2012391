import type { DatabaseSync } from "node:sqlite";
import { decodeCursor, pageOf } from "../cursor.ts";
import { hostOf } from "../interaction-rules.ts";
import { type SqliteTime, sqliteTime } from "../rows.ts";
import type { Follower, Store } from "../store.ts";
import {
  type CoreStore,
  type FollowerRow,
  type LedgerRow,
  toFollower,
  toLedgerEntry,
} from "../store-rows.ts";
import { sqliteArticles } from "./articles.ts";
import { sqliteAudit } from "./audit.ts";
import { sqliteBlocks } from "./blocks.ts";
import { sqliteDeliveries } from "./deliveries.ts";
import { sqliteHub } from "./hub.ts";
import { sqliteInteractions } from "./interactions.ts";
import { prepared, transaction } from "./open.ts";
import { sqliteOutbox } from "./outbox.ts";
import { sqlitePasswordLinks } from "./password-links.ts";
import { sqlitePictures } from "./pictures.ts";
import { sqliteStaff } from "./staff.ts";

/**
 * The {@link Store} on the embedded SQLite database (one process). Takes a
 * handle from `openSqlite()`; `close()` closes that handle. Each part lives in
 * its own module, all on the one handle.
 */
export function createSqliteStore(db: DatabaseSync): Store {
  return {
    ...sqliteCore(db),
    ...sqliteInteractions(db),
    ...sqliteBlocks(db),
    ...sqliteStaff(db),
    ...sqlitePasswordLinks(db),
    ...sqliteAudit(db),
    ...sqliteDeliveries(db),
    ...sqlitePictures(db),
    ...sqliteHub(db),
    ...sqliteArticles(db),
    ...sqliteOutbox(db),
  };
}

function sqliteCore(db: DatabaseSync): CoreStore {
  return {
    async addFollower(follower: Follower): Promise<boolean> {
      return transaction(db, () => {
        const existed = prepared(db, "SELECT 1 FROM followers WHERE actor_id = ?").get(
          follower.actorId,
        );
        // A refresh keeps the original created_at, so paging order stays stable.
        prepared(
          db,
          `INSERT INTO followers (actor_id, follow_id, inbox, shared_inbox, created_at, host)
             VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (actor_id) DO UPDATE SET
               follow_id = excluded.follow_id, inbox = excluded.inbox,
               shared_inbox = excluded.shared_inbox, host = excluded.host`,
        ).run(
          follower.actorId,
          follower.followId,
          follower.inbox,
          follower.sharedInbox,
          follower.createdAt.getTime(),
          hostOf(follower.actorId),
        );
        return existed === undefined;
      });
    },

    async removeFollower(actorId, followId) {
      const result =
        followId === undefined
          ? prepared(db, "DELETE FROM followers WHERE actor_id = ?").run(actorId)
          : prepared(db, "DELETE FROM followers WHERE actor_id = ? AND follow_id = ?").run(
              actorId,
              followId,
            );
      return Number(result.changes) > 0;
    },

    async getFollower(actorId) {
      const row = prepared(db, "SELECT * FROM followers WHERE actor_id = ?").get(actorId);
      return row === undefined
        ? null
        : toFollower(sqliteTime, row as unknown as FollowerRow<SqliteTime>);
    },

    async listFollowers(options) {
      const cursor = decodeCursor(options.cursor);
      if (cursor === false) return { items: [], next: null };
      const limit = Math.max(1, Math.floor(options.limit));
      // One row more than asked tells whether there is a next page.
      const rows = (cursor === null
        ? prepared(db, "SELECT * FROM followers ORDER BY created_at, actor_id LIMIT ?").all(
            limit + 1,
          )
        : prepared(
            db,
            `SELECT * FROM followers
               WHERE created_at > ? OR (created_at = ? AND actor_id > ?)
               ORDER BY created_at, actor_id LIMIT ?`,
          ).all(
            cursor.createdAt,
            cursor.createdAt,
            cursor.actorId,
            limit + 1,
          )) as unknown as FollowerRow<SqliteTime>[];
      const items = rows.slice(0, limit).map((row) => toFollower(sqliteTime, row));
      return pageOf(items, rows.length > limit, (last) => ({
        createdAt: last.createdAt.getTime(),
        actorId: last.actorId,
      }));
    },

    async countFollowers() {
      const row = prepared(db, "SELECT count(*) AS n FROM followers").get() as { n: number };
      return Number(row.n);
    },

    async getLedgerEntry(slug) {
      const row = prepared(db, "SELECT * FROM ledger WHERE slug = ?").get(slug);
      return row === undefined
        ? null
        : toLedgerEntry(sqliteTime, row as unknown as LedgerRow<SqliteTime>);
    },

    async listLedger() {
      const rows = prepared(db, "SELECT * FROM ledger ORDER BY slug").all();
      return (rows as unknown as LedgerRow<SqliteTime>[]).map((row) =>
        toLedgerEntry(sqliteTime, row),
      );
    },

    async putLedgerEntry(entry) {
      prepared(
        db,
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
    },

    async acquireLease(name, holder, ttlMs) {
      const now = Date.now();
      const row = prepared(
        db,
        `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
           WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
           RETURNING holder`,
      ).get(name, holder, now + ttlMs, now);
      return row !== undefined;
    },

    async releaseLease(name, holder) {
      prepared(db, "DELETE FROM leases WHERE name = ? AND holder = ?").run(name, holder);
    },

    async close() {
      if (db.isOpen) db.close();
    },
  };
}
