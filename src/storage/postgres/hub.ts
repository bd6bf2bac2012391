import type { Sql } from "postgres";
import type { HubStore, HubSubscription } from "../hub.ts";
import { hostOf, normalizeHost } from "../interaction-rules.ts";

interface SubscriptionRow {
  topic: string;
  callback: string;
  secret: string | null;
  lease_seconds: number;
  expires_at: Date;
  created_at: Date;
}

/** WebSub subscriptions on PostgreSQL, keyed by (topic, callback). */
export function postgresHub(sql: Sql): HubStore {
  return {
    async putSubscription(s) {
      // A renewal is a new verified request: it replaces secret, lease and times.
      await sql`
        INSERT INTO hub_subscriptions
          (topic, callback, callback_host, secret, lease_seconds, expires_at, created_at)
        VALUES (${s.topic}, ${s.callback}, ${hostOf(s.callback)}, ${s.secret}, ${s.leaseSeconds},
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
      const rows = await sql<SubscriptionRow[]>`
        SELECT * FROM hub_subscriptions WHERE topic = ${topic} AND expires_at > ${now}
        ORDER BY callback`;
      return rows.map(toSubscription);
    },

    async countSubscriptionsForHost(host, now) {
      const rows = await sql<{ n: string }[]>`
        SELECT count(*) AS n FROM hub_subscriptions
        WHERE callback_host = ${normalizeHost(host)} AND expires_at > ${now}`;
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

function toSubscription(row: SubscriptionRow): HubSubscription {
  return {
    topic: row.topic,
    callback: row.callback,
    secret: row.secret,
    leaseSeconds: Number(row.lease_seconds),
    expiresAt: row.expires_at,
    createdAt: row.created_at,
  };
}
