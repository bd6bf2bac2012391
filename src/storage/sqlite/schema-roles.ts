import type { DatabaseSync } from "node:sqlite";

/**
 * Schema step on SQLite: staff roles and e-mail. Accounts that exist when it
 * runs were made before roles, with full powers, so they become `admin`;
 * every account made afterwards names its roles.
 */
export const SCHEMA_STAFF_ROLES = `
  ALTER TABLE staff ADD COLUMN roles TEXT NOT NULL DEFAULT 'admin';
  ALTER TABLE staff ADD COLUMN email TEXT;
`;

/**
 * Browsers that logged in to an account before, by the SHA-256 of their
 * device cookie: each keeps its own allowance of failed logins, so a
 * stranger's guesses cannot lock the account's own staff out.
 */
export const SCHEMA_STAFF_DEVICES = `
  CREATE TABLE IF NOT EXISTS staff_devices (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES staff (username) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS staff_devices_expires ON staff_devices (expires_at);
`;

/**
 * The step itself: SQLite has no `ADD COLUMN IF NOT EXISTS`, so the columns are
 * added only when missing (a store rewound to an earlier step runs it again).
 */
export function staffRolesStep(db: DatabaseSync): void {
  const columns = (db.prepare("PRAGMA table_info(staff)").all() as { name: string }[]).map(
    (c) => c.name,
  );
  if (!columns.includes("roles")) {
    db.exec("ALTER TABLE staff ADD COLUMN roles TEXT NOT NULL DEFAULT 'admin'");
  }
  if (!columns.includes("email")) db.exec("ALTER TABLE staff ADD COLUMN email TEXT");
  db.exec(SCHEMA_STAFF_DEVICES);
}
