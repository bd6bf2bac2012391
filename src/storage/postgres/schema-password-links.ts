/**
 * Schema step on PostgreSQL: one-time links to set a staff password, by the
 * SHA-256 of their token. They go with their account (ON DELETE CASCADE).
 */
export const SCHEMA_PASSWORD_LINKS = `
  CREATE TABLE IF NOT EXISTS staff_password_links (
    id text PRIMARY KEY,
    username text NOT NULL REFERENCES staff (username) ON DELETE CASCADE,
    purpose text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
  );
  CREATE INDEX IF NOT EXISTS staff_password_links_username ON staff_password_links (username);
  CREATE INDEX IF NOT EXISTS staff_password_links_expires ON staff_password_links (expires_at);
`;
