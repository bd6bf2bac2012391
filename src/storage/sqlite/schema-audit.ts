/**
 * The audit trail's table. The triggers make it append-only at the database:
 * an UPDATE or DELETE fails whatever code issues it.
 */
export const SCHEMA_AUDIT = `
  CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    subject TEXT,
    outcome TEXT NOT NULL,
    address TEXT,
    detail TEXT
  );
  CREATE INDEX IF NOT EXISTS audit_actor ON audit (actor, id);
  CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
  CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
  CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
`;
