/**
 * Schema step on PostgreSQL: articles written in the newsroom, every revision
 * of them, and the change counter other web processes poll.
 */
export const SCHEMA_ARTICLES = `
  CREATE TABLE IF NOT EXISTS articles (
    id text PRIMARY KEY,
    slug text NOT NULL UNIQUE,
    state text NOT NULL,
    owner text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    latest_revision integer NOT NULL,
    published_revision integer,
    first_published_at timestamptz,
    title text NOT NULL,
    title_key text NOT NULL
  );
  CREATE INDEX IF NOT EXISTS articles_updated ON articles (updated_at DESC, id);
  CREATE INDEX IF NOT EXISTS articles_state ON articles (state, updated_at DESC);
  CREATE TABLE IF NOT EXISTS article_revisions (
    article_id text NOT NULL REFERENCES articles (id),
    number integer NOT NULL,
    title text NOT NULL,
    summary text NOT NULL,
    body text NOT NULL,
    tags jsonb NOT NULL,
    authors jsonb NOT NULL,
    language text NOT NULL,
    published timestamptz,
    slug text NOT NULL,
    pinned boolean NOT NULL,
    image_id text,
    image_alt text NOT NULL,
    saved_by text NOT NULL,
    saved_at timestamptz NOT NULL,
    submitted_by text,
    submitted_at timestamptz,
    approved_by text,
    approved_at timestamptz,
    published_by text,
    published_at timestamptz,
    returned_by text,
    returned_at timestamptz,
    return_comment text,
    restored_from integer,
    PRIMARY KEY (article_id, number)
  );
  CREATE TABLE IF NOT EXISTS article_counter (
    id integer PRIMARY KEY CHECK (id = 1),
    value bigint NOT NULL
  );
  INSERT INTO article_counter (id, value) VALUES (1, 0) ON CONFLICT DO NOTHING;
`;
