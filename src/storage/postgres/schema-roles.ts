/**
 * Schema step on PostgreSQL: staff roles and e-mail. Accounts that exist when
 * it runs were made before roles, with full powers, so they become `admin`;
 * every account made afterwards names its roles.
 */
export const SCHEMA_STAFF_ROLES = `
  ALTER TABLE staff ADD COLUMN IF NOT EXISTS roles text NOT NULL DEFAULT 'admin';
  ALTER TABLE staff ADD COLUMN IF NOT EXISTS email text;
`;

/**
 * Browsers that logged in to an account before, by the SHA-256 of their
 * device cookie: each keeps its own allowance of failed logins, so a
 * stranger's guesses cannot lock the account's own staff out.
 */
export const SCHEMA_STAFF_DEVICES = `
  CREATE TABLE IF NOT EXISTS staff_devices (
    id text PRIMARY KEY,
    username text NOT NULL REFERENCES staff (username) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
  );
  CREATE INDEX IF NOT EXISTS staff_devices_expires ON staff_devices (expires_at);
`;
