import type { DatabaseSync } from "node:sqlite";
import { hostOf } from "../interaction-rules.ts";

/**
 * Fills the host column of followers that have none: rows from before the
 * column existed. Run by the schema step that adds it, and again before a
 * host-wide removal in case an older process wrote rows since.
 */
export function backfillFollowerHosts(db: DatabaseSync): void {
  const rows = db.prepare("SELECT actor_id FROM followers WHERE host IS NULL").all() as unknown as {
    actor_id: string;
  }[];
  if (rows.length === 0) return;
  const update = db.prepare("UPDATE followers SET host = ? WHERE actor_id = ?");
  for (const row of rows) update.run(hostOf(row.actor_id), row.actor_id);
}
