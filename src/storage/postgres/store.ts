import type { Sql } from "postgres";
import { decodeCursor, pageOf } from "../cursor.ts";
import { hostOf } from "../interaction-rules.ts";
import { type PostgresTime, postgresTime } from "../rows.ts";
import type { Follower, Store } from "../store.ts";
import {
  type CoreStore,
  type FollowerRow,
  type LedgerRow,
  toFollower,
  toLedgerEntry,
} from "../store-rows.ts";
import { postgresArticles } from "./articles.ts";
import { postgresAudit } from "./audit.ts";
import { postgresBlocks } from "./blocks.ts";
import { postgresDeliveries } from "./deliveries.ts";
import { postgresHub } from "./hub.ts";
import { postgresInteractions } from "./interactions.ts";
import { postgresOutbox } from "./outbox.ts";
import { postgresPasswordLinks } from "./password-links.ts";
import { postgresPictures } from "./pictures.ts";
import { postgresStaff } from "./staff.ts";

/**
 * The {@link Store} on PostgreSQL (scale-out: several processes share it).
 * Takes a migrated connection pool; `close()` ends that pool. Each part lives
 * in its own module, all on the one pool.
 */
export function createPostgresStore(sql: Sql): Store {
  return {
    ...postgresCore(sql),
    ...postgresInteractions(sql),
    ...postgresBlocks(sql),
    ...postgresStaff(sql),
    ...postgresPasswordLinks(sql),
    ...postgresAudit(sql),
    ...postgresDeliveries(sql),
    ...postgresPictures(sql),
    ...postgresHub(sql),
    ...postgresArticles(sql),
    ...postgresOutbox(sql),
  };
}

function postgresCore(sql: Sql): CoreStore {
  return {
    async addFollower(follower: Follower): Promise<boolean> {
      // `xmax = 0` holds only for a freshly inserted row, not an updated one. A
      // refresh keeps the original created_at, so paging order stays stable.
      const rows = await sql<{ inserted: boolean }[]>`
        INSERT INTO followers (actor_id, follow_id, inbox, shared_inbox, created_at, host)
        VALUES (${follower.actorId}, ${follower.followId}, ${follower.inbox},
                ${follower.sharedInbox}, ${follower.createdAt}, ${hostOf(follower.actorId)})
        ON CONFLICT (actor_id) DO UPDATE SET
          follow_id = excluded.follow_id, inbox = excluded.inbox,
          shared_inbox = excluded.shared_inbox, host = excluded.host
        RETURNING (xmax = 0) AS inserted`;
      return rows[0]?.inserted === true;
    },

    async removeFollower(actorId, followId) {
      const result =
        followId === undefined
          ? await sql`DELETE FROM followers WHERE actor_id = ${actorId}`
          : await sql`
              DELETE FROM followers WHERE actor_id = ${actorId} AND follow_id = ${followId}`;
      return result.count > 0;
    },

    async getFollower(actorId) {
      const rows = await sql<FollowerRow<PostgresTime>[]>`
        SELECT * FROM followers WHERE actor_id = ${actorId}`;
      return rows[0] ? toFollower(postgresTime, rows[0]) : null;
    },

    async listFollowers(options) {
      const cursor = decodeCursor(options.cursor);
      if (cursor === false) return { items: [], next: null };
      const limit = Math.max(1, Math.floor(options.limit));
      // One row more than asked tells whether there is a next page.
      const rows =
        cursor === null
          ? await sql<FollowerRow<PostgresTime>[]>`
              SELECT * FROM followers ORDER BY created_at, actor_id LIMIT ${limit + 1}`
          : await sql<FollowerRow<PostgresTime>[]>`
              SELECT * FROM followers
              WHERE (created_at, actor_id) > (${new Date(cursor.createdAt)}, ${cursor.actorId})
              ORDER BY created_at, actor_id LIMIT ${limit + 1}`;
      const items = rows.slice(0, limit).map((row) => toFollower(postgresTime, row));
      return pageOf(items, rows.length > limit, (last) => ({
        createdAt: last.createdAt.getTime(),
        actorId: last.actorId,
      }));
    },

    async countFollowers() {
      const rows = await sql<{ n: string }[]>`SELECT count(*) AS n FROM followers`;
      return Number(rows[0]?.n ?? 0);
    },

    async getLedgerEntry(slug) {
      const rows = await sql<LedgerRow<PostgresTime>[]>`SELECT * FROM ledger WHERE slug = ${slug}`;
      return rows[0] ? toLedgerEntry(postgresTime, rows[0]) : null;
    },

    async listLedger() {
      const rows = await sql<LedgerRow<PostgresTime>[]>`SELECT * FROM ledger ORDER BY slug`;
      return rows.map((row) => toLedgerEntry(postgresTime, row));
    },

    async putLedgerEntry(entry) {
      await sql`
        INSERT INTO ledger
          (slug, file, hash, action, activity_id, version, published, updated, queued_at)
        VALUES (${entry.slug}, ${entry.file}, ${entry.hash}, ${entry.action}, ${entry.activityId},
                ${entry.version}, ${entry.published}, ${entry.updated}, ${entry.queuedAt})
        ON CONFLICT (slug) DO UPDATE SET
          file = excluded.file, hash = excluded.hash, action = excluded.action,
          activity_id = excluded.activity_id, version = excluded.version,
          published = excluded.published, updated = excluded.updated,
          queued_at = excluded.queued_at`;
    },

    async acquireLease(name, holder, ttlMs) {
      // The database's clock, so processes on machines with skewed clocks agree.
      const rows = await sql`
        INSERT INTO leases (name, holder, expires_at)
        VALUES (${name}, ${holder}, clock_timestamp() + ${ttlMs} * interval '1 millisecond')
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE leases.holder = excluded.holder OR leases.expires_at <= clock_timestamp()
        RETURNING holder`;
      return rows.length > 0;
    },

    async releaseLease(name, holder) {
      await sql`DELETE FROM leases WHERE name = ${name} AND holder = ${holder}`;
    },

    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
