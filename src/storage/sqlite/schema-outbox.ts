/**
 * Schema step on SQLite: the newsroom's mail outbox. A sent message is
 * deleted; one given up on stays (`state = 'failed'`) for the operator.
 */
export const SCHEMA_OUTBOX = `
  CREATE TABLE IF NOT EXISTS mail_outbox (
    id TEXT PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    ready_at INTEGER NOT NULL,
    lease_holder TEXT,
    lease_until INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
  );
  CREATE INDEX IF NOT EXISTS mail_outbox_due ON mail_outbox (state, ready_at, id);
`;
