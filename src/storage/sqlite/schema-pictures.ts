/**
 * Schema step on SQLite: uploaded pictures with their renditions (BLOBs, so
 * a backup of the database file holds them), and the remote avatar cache.
 */
export const SCHEMA_PICTURES = `
  CREATE TABLE IF NOT EXISTS pictures (
    id TEXT PRIMARY KEY,
    alt TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    format TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS pictures_created ON pictures (created_at, id);
  CREATE TABLE IF NOT EXISTS picture_renditions (
    picture_id TEXT NOT NULL REFERENCES pictures (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (picture_id, name)
  );
  CREATE TABLE IF NOT EXISTS avatars (
    key TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    state TEXT NOT NULL,
    at INTEGER NOT NULL,
    media_type TEXT,
    data BLOB
  );
`;
