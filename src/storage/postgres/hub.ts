import type { Sql } from "postgres";
import { callbackDomain, type HubStore } from "../hub.ts";
import { type SubscriptionRow, toSubscription } from "../hub-rows.ts";
import { type PostgresTime, postgresTime } from "../rows.ts";

/** WebSub subscriptions on PostgreSQL, keyed by (topic, callback). */
export function postgresHub(sql: Sql): HubStore {
  return {
    async putSubscription(s) {
      // A renewal is a new verified request: it replaces secret, lease and times.
      await sql`
        INSERT INTO hub_subscriptions
          (topic, callback, callback_host, secret, lease_seconds, expires_at, created_at)
        VALUES (${s.topic}, ${s.callback}, ${callbackDomain(s.callback)}, ${s.secret}, ${s.leaseSeconds},
                ${s.expiresAt}, ${s.createdAt})
        ON CONFLICT (topic, callback) DO UPDATE SET
          secret = excluded.secret, lease_seconds = excluded.lease_seconds,
          expires_at = excluded.expires_at, created_at = excluded.created_at`;
    },

    async removeSubscription(topic, callback) {
      const result = await sql`
        DELETE FROM hub_subscriptions WHERE topic = ${topic} AND callback = ${callback}`;
      return result.count > 0;
    },

    async listSubscriptions(topic, now) {
      const rows = await sql<SubscriptionRow<PostgresTime>[]>`
        SELECT * FROM hub_subscriptions WHERE topic = ${topic} AND expires_at > ${now}
        ORDER BY callback`;
      return rows.map((row) => toSubscription(postgresTime, row));
    },

    async getSubscription(topic, callback, now) {
      const rows = await sql<SubscriptionRow<PostgresTime>[]>`
        SELECT * FROM hub_subscriptions
        WHERE topic = ${topic} AND callback = ${callback} AND expires_at > ${now}`;
      return rows[0] === undefined ? null : toSubscription(postgresTime, rows[0]);
    },

    async countSubscriptionsForDomain(domain, now) {
      // The callback_host column holds the registrable domain (callbackDomain).
      const rows = await sql<{ n: string }[]>`
        SELECT count(*) AS n FROM hub_subscriptions
        WHERE callback_host = ${domain.trim().toLowerCase()} AND expires_at > ${now}`;
      return Number(rows[0]?.n ?? 0);
    },

    async countSubscriptions(now) {
      const rows = await sql<{ n: string }[]>`
        SELECT count(*) AS n FROM hub_subscriptions WHERE expires_at > ${now}`;
      return Number(rows[0]?.n ?? 0);
    },

    async expireSubscriptions(now) {
      // At `now` a lease ending now has ended: what is no longer listed goes.
      const result = await sql`DELETE FROM hub_subscriptions WHERE expires_at <= ${now}`;
      return result.count;
    },
  };
}
