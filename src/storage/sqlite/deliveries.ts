import type { DatabaseSync } from "node:sqlite";
import type { DeliveryState, DeliveryStore } from "../deliveries.ts";
import { hostOf } from "../interaction-rules.ts";
import { TurnBatch } from "../turn-batch.ts";
import { prepared, transaction } from "./open.ts";

/**
 * Delivery progress on SQLite: one row per (activity, inbox), and one per
 * activity for when it was first recorded (so the newest are read by index,
 * not by grouping every delivery).
 */
export function sqliteDeliveries(db: DatabaseSync): DeliveryStore {
  const ensureActivity = (activityId: string, at: Date) =>
    prepared(
      db,
      `INSERT INTO delivery_activities (activity_id, first_at) VALUES (?, ?)
         ON CONFLICT (activity_id) DO NOTHING`,
    ).run(activityId, at.getTime());
  // A row that was never recorded pending (or whose record was lost) still shows.
  const insert = (
    activityId: string,
    inbox: string,
    state: DeliveryState,
    attempts: number,
    error: string | null,
    at: Date,
  ) =>
    prepared(
      db,
      `INSERT INTO deliveries (activity_id, inbox, host, state, attempts, last_error, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (activity_id, inbox) DO NOTHING`,
    ).run(activityId, inbox, hostOf(inbox), state, attempts, error, at.getTime());

  // Deliveries finish by the hundred a second in a fan-out: one transaction a turn.
  const delivered = new TurnBatch<{ activityId: string; inbox: string; at: Date }>((items) =>
    transaction(db, () => {
      const update = prepared(
        db,
        `UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, last_error = NULL,
           updated_at = ? WHERE activity_id = ? AND inbox = ?`,
      );
      for (const { activityId, inbox, at } of items) {
        const result = update.run(at.getTime(), activityId, inbox);
        if (Number(result.changes) > 0) continue;
        ensureActivity(activityId, at);
        insert(activityId, inbox, "delivered", 1, null, at);
      }
    }),
  );

  return {
    async recordPending(activityId, inboxes, at) {
      if (inboxes.length === 0) return;
      transaction(db, () => {
        ensureActivity(activityId, at);
        for (const inbox of new Set(inboxes)) insert(activityId, inbox, "pending", 0, null, at);
      });
    },

    recordDelivered: (activityId, inbox, at) => delivered.add({ activityId, inbox, at }),

    async recordFailure(activityId, inbox, error, final, at) {
      const state: DeliveryState = final ? "failed" : "pending";
      transaction(db, () => {
        // Once delivered it stays so: a late failure of a duplicate attempt changes nothing.
        const result = prepared(
          db,
          `UPDATE deliveries SET state = ?, attempts = attempts + 1, last_error = ?, updated_at = ?
             WHERE activity_id = ? AND inbox = ? AND state <> 'delivered'`,
        ).run(state, error, at.getTime(), activityId, inbox);
        if (Number(result.changes) > 0) return;
        ensureActivity(activityId, at);
        insert(activityId, inbox, state, 1, error, at);
      });
    },

    async listActivityProgress(limit) {
      const activities = prepared(
        db,
        `SELECT activity_id, first_at FROM delivery_activities
           ORDER BY first_at DESC, activity_id DESC LIMIT ?`,
      ).all(Math.max(1, Math.floor(limit))) as unknown as {
        activity_id: string;
        first_at: number;
      }[];
      return activities.map((activity) => {
        const counts = { pending: 0, delivered: 0, failed: 0 };
        const byState = prepared(
          db,
          "SELECT state, count(*) AS n FROM deliveries WHERE activity_id = ? GROUP BY state",
        ).all(activity.activity_id) as unknown as { state: DeliveryState; n: number }[];
        for (const row of byState) counts[row.state] = Number(row.n);
        const hosts = prepared(
          db,
          `SELECT DISTINCT host FROM deliveries
             WHERE activity_id = ? AND state <> 'delivered' AND last_error IS NOT NULL
             ORDER BY host`,
        ).all(activity.activity_id) as unknown as { host: string }[];
        return {
          activityId: activity.activity_id,
          firstAt: new Date(Number(activity.first_at)),
          ...counts,
          failingHosts: hosts.map((row) => row.host),
        };
      });
    },

    async countPendingDeliveries() {
      const row = prepared(
        db,
        "SELECT count(*) AS n FROM deliveries WHERE state = 'pending'",
      ).get() as {
        n: number;
      };
      return Number(row.n);
    },

    async countFailingDeliveries(since) {
      // `state IN (…)` reads the state index; delivered rows, the bulk, are never visited.
      const row = prepared(
        db,
        `SELECT count(*) AS n FROM deliveries
           WHERE state IN ('pending', 'failed') AND last_error IS NOT NULL AND updated_at >= ?`,
      ).get(since.getTime()) as { n: number };
      return Number(row.n);
    },
  };
}
