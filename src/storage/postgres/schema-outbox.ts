/**
 * Schema step on PostgreSQL: the newsroom's mail outbox (LOGGED, so a crash
 * keeps it). A sent message is deleted; one given up on stays
 * (`state = 'failed'`) for the operator.
 */
export const SCHEMA_OUTBOX = `
  CREATE TABLE IF NOT EXISTS mail_outbox (
    id text PRIMARY KEY,
    recipient text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL,
    state text NOT NULL DEFAULT 'pending',
    ready_at timestamptz NOT NULL,
    lease_holder text,
    lease_until timestamptz,
    attempts integer NOT NULL DEFAULT 0,
    last_error text
  );
  CREATE INDEX IF NOT EXISTS mail_outbox_due ON mail_outbox (state, ready_at, id);
`;
