/**
 * Schema step on SQLite: articles written in the newsroom, every revision of
 * them, and the change counter other processes poll. Times are Unix ms; tags
 * and authors are JSON arrays.
 */
export const SCHEMA_ARTICLES = `
  CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    owner TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    latest_revision INTEGER NOT NULL,
    published_revision INTEGER,
    first_published_at INTEGER,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS articles_updated ON articles (updated_at DESC, id);
  CREATE INDEX IF NOT EXISTS articles_state ON articles (state, updated_at DESC);
  CREATE TABLE IF NOT EXISTS article_revisions (
    article_id TEXT NOT NULL REFERENCES articles (id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    tags TEXT NOT NULL,
    authors TEXT NOT NULL,
    language TEXT NOT NULL,
    published INTEGER,
    slug TEXT NOT NULL,
    pinned INTEGER NOT NULL,
    image_id TEXT,
    image_alt TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    submitted_by TEXT,
    submitted_at INTEGER,
    approved_by TEXT,
    approved_at INTEGER,
    published_by TEXT,
    published_at INTEGER,
    returned_by TEXT,
    returned_at INTEGER,
    return_comment TEXT,
    restored_from INTEGER,
    PRIMARY KEY (article_id, number)
  );
  CREATE TABLE IF NOT EXISTS article_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
  );
  INSERT OR IGNORE INTO article_counter (id, value) VALUES (1, 0);
`;
