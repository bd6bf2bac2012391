import type { Sql } from "postgres";
import type { ActivityProgress, DeliveryState, DeliveryStore } from "../deliveries.ts";
import { hostOf } from "../interaction-rules.ts";

/**
 * Delivery progress on PostgreSQL: one row per (activity, inbox), and one per
 * activity for when it was first recorded (so the newest are read by index,
 * not by grouping every delivery). Each record is one statement: a fan-out
 * writes one per delivery.
 */
export function postgresDeliveries(sql: Sql): DeliveryStore {
  return {
    async recordPending(activityId, inboxes, at) {
      const unique = [...new Set(inboxes)];
      if (unique.length === 0) return;
      await sql`
        WITH activity AS (
          INSERT INTO delivery_activities (activity_id, first_at) VALUES (${activityId}, ${at})
          ON CONFLICT (activity_id) DO NOTHING)
        INSERT INTO deliveries (activity_id, inbox, host, state, attempts, last_error, updated_at)
        SELECT ${activityId}, v.inbox, v.host, 'pending', 0, NULL, ${at}
        FROM unnest(${sql.array(unique)}::text[], ${sql.array(unique.map(hostOf))}::text[])
             AS v(inbox, host)
        ON CONFLICT (activity_id, inbox) DO NOTHING`;
    },

    async recordDelivered(activityId, inbox, at) {
      // A row that was never recorded pending (or whose record was lost) still shows.
      await sql`
        WITH activity AS (
          INSERT INTO delivery_activities (activity_id, first_at) VALUES (${activityId}, ${at})
          ON CONFLICT (activity_id) DO NOTHING)
        INSERT INTO deliveries (activity_id, inbox, host, state, attempts, last_error, updated_at)
        VALUES (${activityId}, ${inbox}, ${hostOf(inbox)}, 'delivered', 1, NULL, ${at})
        ON CONFLICT (activity_id, inbox) DO UPDATE SET
          state = 'delivered', attempts = deliveries.attempts + 1, last_error = NULL,
          updated_at = excluded.updated_at`;
    },

    async recordFailure(activityId, inbox, error, final, at) {
      const state: DeliveryState = final ? "failed" : "pending";
      // Once delivered it stays so: a late failure of a duplicate attempt changes nothing.
      await sql`
        WITH activity AS (
          INSERT INTO delivery_activities (activity_id, first_at) VALUES (${activityId}, ${at})
          ON CONFLICT (activity_id) DO NOTHING)
        INSERT INTO deliveries (activity_id, inbox, host, state, attempts, last_error, updated_at)
        VALUES (${activityId}, ${inbox}, ${hostOf(inbox)}, ${state}, 1, ${error}, ${at})
        ON CONFLICT (activity_id, inbox) DO UPDATE SET
          state = excluded.state, attempts = deliveries.attempts + 1,
          last_error = excluded.last_error, updated_at = excluded.updated_at
        WHERE deliveries.state <> 'delivered'`;
    },

    async listActivityProgress(limit) {
      const activities = await sql<{ activity_id: string; first_at: Date }[]>`
        SELECT activity_id, first_at FROM delivery_activities
        ORDER BY first_at DESC, activity_id DESC LIMIT ${Math.max(1, Math.floor(limit))}`;
      if (activities.length === 0) return [];
      const ids = sql.array(activities.map((a) => a.activity_id));
      const counts = await sql<{ activity_id: string; state: DeliveryState; n: string }[]>`
        SELECT activity_id, state, count(*) AS n FROM deliveries
        WHERE activity_id = ANY(${ids}::text[]) GROUP BY activity_id, state`;
      const hosts = await sql<{ activity_id: string; host: string }[]>`
        SELECT DISTINCT activity_id, host FROM deliveries
        WHERE activity_id = ANY(${ids}::text[]) AND state <> 'delivered'
          AND last_error IS NOT NULL
        ORDER BY activity_id, host`;
      const progress = new Map<string, ActivityProgress>();
      for (const a of activities) {
        progress.set(a.activity_id, {
          activityId: a.activity_id,
          firstAt: a.first_at,
          pending: 0,
          delivered: 0,
          failed: 0,
          failingHosts: [],
        });
      }
      for (const row of counts) {
        const entry = progress.get(row.activity_id);
        if (entry) entry[row.state] = Number(row.n);
      }
      for (const row of hosts) progress.get(row.activity_id)?.failingHosts.push(row.host);
      return [...progress.values()];
    },

    async countPendingDeliveries() {
      const rows = await sql<{ n: string }[]>`
        SELECT count(*) AS n FROM deliveries WHERE state = 'pending'`;
      return Number(rows[0]?.n ?? 0);
    },

    async countFailingDeliveries(since) {
      // `state IN (…)` reads the state index; delivered rows, the bulk, are never visited.
      const rows = await sql<{ n: string }[]>`
        SELECT count(*) AS n FROM deliveries
        WHERE state IN ('pending', 'failed') AND last_error IS NOT NULL AND updated_at >= ${since}`;
      return Number(rows[0]?.n ?? 0);
    },
  };
}
