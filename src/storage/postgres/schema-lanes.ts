/**
 * Schema step on PostgreSQL: the queue's `lane` column (see
 * `storage/lanes.ts`). Messages already queued take the lane of their kind:
 * Fedify's incoming activities `inbox`, the hub's `websub` messages `hub`,
 * the rest (outbox, fan-out) `delivery`.
 */
export const SCHEMA_LANES = `
  ALTER TABLE queue ADD COLUMN IF NOT EXISTS lane text NOT NULL DEFAULT 'delivery';
  UPDATE queue SET lane = CASE message->>'type'
    WHEN 'inbox' THEN 'inbox' WHEN 'websub' THEN 'hub' ELSE 'delivery' END;
  CREATE INDEX IF NOT EXISTS queue_lane_ready ON queue (lane, ready_at, id);
`;
