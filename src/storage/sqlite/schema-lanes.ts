import type { DatabaseSync } from "node:sqlite";

/**
 * Schema step on SQLite: the queue's `lane` column (see `storage/lanes.ts`).
 * Messages already queued take the lane of their kind: Fedify's incoming
 * activities `inbox`, the hub's `websub` messages `hub`, the rest (outbox,
 * fan-out) `delivery`. SQLite has no `ADD COLUMN IF NOT EXISTS`: the column
 * is looked for first, so the step can run again on a store whose version
 * number was set back.
 */
export function addQueueLanes(db: DatabaseSync): void {
  const columns = db.prepare("SELECT name FROM pragma_table_info('queue')").all() as {
    name: string;
  }[];
  if (!columns.some((c) => c.name === "lane")) {
    db.exec("ALTER TABLE queue ADD COLUMN lane TEXT NOT NULL DEFAULT 'delivery'");
  }
  db.exec(`
    UPDATE queue SET lane = CASE json_extract(message, '$.type')
      WHEN 'inbox' THEN 'inbox' WHEN 'websub' THEN 'hub' ELSE 'delivery' END;
    CREATE INDEX IF NOT EXISTS queue_lane_ready ON queue (lane, ready_at, id);`);
}
