import type { DatabaseSync } from "node:sqlite";
import { callbackDomain, type HubStore } from "../hub.ts";
import { type SubscriptionRow, toSubscription } from "../hub-rows.ts";
import { type SqliteTime, sqliteTime } from "../rows.ts";
import { prepared } from "./open.ts";

/** WebSub subscriptions on SQLite, keyed by (topic, callback). */
export function sqliteHub(db: DatabaseSync): HubStore {
  return {
    async putSubscription(subscription) {
      // A renewal is a new verified request: it replaces secret, lease and times.
      prepared(
        db,
        `INSERT INTO hub_subscriptions
             (topic, callback, callback_host, secret, lease_seconds, expires_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (topic, callback) DO UPDATE SET
             secret = excluded.secret, lease_seconds = excluded.lease_seconds,
             expires_at = excluded.expires_at, created_at = excluded.created_at`,
      ).run(
        subscription.topic,
        subscription.callback,
        // The column keeps its name; it holds the registrable domain the limits count.
        callbackDomain(subscription.callback),
        subscription.secret,
        subscription.leaseSeconds,
        subscription.expiresAt.getTime(),
        subscription.createdAt.getTime(),
      );
    },

    async removeSubscription(topic, callback) {
      const result = prepared(
        db,
        "DELETE FROM hub_subscriptions WHERE topic = ? AND callback = ?",
      ).run(topic, callback);
      return Number(result.changes) > 0;
    },

    async listSubscriptions(topic, now) {
      const rows = prepared(
        db,
        `SELECT * FROM hub_subscriptions WHERE topic = ? AND expires_at > ? ORDER BY callback`,
      ).all(topic, now.getTime());
      return (rows as unknown as SubscriptionRow<SqliteTime>[]).map((row) =>
        toSubscription(sqliteTime, row),
      );
    },

    async getSubscription(topic, callback, now) {
      const row = prepared(
        db,
        "SELECT * FROM hub_subscriptions WHERE topic = ? AND callback = ? AND expires_at > ?",
      ).get(topic, callback, now.getTime());
      return row === undefined
        ? null
        : toSubscription(sqliteTime, row as unknown as SubscriptionRow<SqliteTime>);
    },

    async countSubscriptionsForDomain(domain, now) {
      const row = prepared(
        db,
        "SELECT count(*) AS n FROM hub_subscriptions WHERE callback_host = ? AND expires_at > ?",
      ).get(domain.trim().toLowerCase(), now.getTime()) as { n: number };
      return Number(row.n);
    },

    async countSubscriptions(now) {
      const row = prepared(
        db,
        "SELECT count(*) AS n FROM hub_subscriptions WHERE expires_at > ?",
      ).get(now.getTime()) as { n: number };
      return Number(row.n);
    },

    async expireSubscriptions(now) {
      // At `now` a lease ending now has ended: what is no longer listed goes.
      const result = prepared(db, "DELETE FROM hub_subscriptions WHERE expires_at <= ?").run(
        now.getTime(),
      );
      return Number(result.changes);
    },
  };
}
