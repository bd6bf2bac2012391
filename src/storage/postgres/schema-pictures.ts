/**
 * Schema step on PostgreSQL: uploaded pictures with their renditions
 * (`bytea`, so every web process of a scale-out serves them), and the remote
 * avatar cache.
 */
export const SCHEMA_PICTURES = `
  CREATE TABLE IF NOT EXISTS pictures (
    id text PRIMARY KEY,
    alt text NOT NULL,
    uploaded_by text NOT NULL,
    created_at timestamptz NOT NULL,
    format text NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL
  );
  CREATE INDEX IF NOT EXISTS pictures_created ON pictures (created_at, id);
  CREATE TABLE IF NOT EXISTS picture_renditions (
    picture_id text NOT NULL REFERENCES pictures (id) ON DELETE CASCADE,
    name text NOT NULL,
    media_type text NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (picture_id, name)
  );
  CREATE TABLE IF NOT EXISTS avatars (
    key text PRIMARY KEY,
    url text NOT NULL,
    state text NOT NULL,
    at timestamptz NOT NULL,
    media_type text,
    data bytea
  );
`;
