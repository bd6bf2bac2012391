/**
 * Schema step on SQLite: one-time links to set a staff password, by the
 * SHA-256 of their token. They go with their account (ON DELETE CASCADE).
 */
export const SCHEMA_PASSWORD_LINKS = `
  CREATE TABLE IF NOT EXISTS staff_password_links (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES staff (username) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  );
  CREATE INDEX IF NOT EXISTS staff_password_links_username ON staff_password_links (username);
  CREATE INDEX IF NOT EXISTS staff_password_links_expires ON staff_password_links (expires_at);
`;
