/**
 * Schema step 2 on SQLite: this wave's tables (interactions and blocks, staff
 * and sessions, delivery progress, WebSub subscriptions) and the followers'
 * host column. Times are Unix milliseconds; TEXT holds any length (a reply's
 * body is capped at 64 KiB by the inbox, not here).
 */
export const SCHEMA_V2 = `
  ALTER TABLE followers ADD COLUMN host TEXT;
  CREATE INDEX IF NOT EXISTS followers_host ON followers (host);

  CREATE TABLE IF NOT EXISTS interactions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_host TEXT NOT NULL,
    author_name TEXT,
    author_handle TEXT,
    author_avatar_url TEXT,
    author_profile_url TEXT,
    slug TEXT,
    in_reply_to TEXT,
    url TEXT,
    language TEXT,
    html TEXT,
    visibility TEXT NOT NULL,
    state TEXT NOT NULL,
    published INTEGER NOT NULL,
    updated INTEGER,
    received_at INTEGER NOT NULL
  );
  -- An article's thread and its counts (approved public replies, likes, boosts).
  CREATE INDEX IF NOT EXISTS interactions_thread
    ON interactions (slug, kind, state, visibility, published, id);
  -- One article's interactions of a kind in any state (likes, boosts, the newsroom's view).
  CREATE INDEX IF NOT EXISTS interactions_article ON interactions (slug, kind, published, id);
  -- The moderation queue and counts by state.
  CREATE INDEX IF NOT EXISTS interactions_state ON interactions (state, kind, published, id);
  -- Lists of one kind across articles (mentions of the town).
  CREATE INDEX IF NOT EXISTS interactions_kind ON interactions (kind, published, id);
  CREATE INDEX IF NOT EXISTS interactions_actor ON interactions (actor_id, kind, slug);
  CREATE INDEX IF NOT EXISTS interactions_host ON interactions (actor_host);

  CREATE TABLE IF NOT EXISTS blocks (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    by_user TEXT,
    PRIMARY KEY (kind, value)
  );

  CREATE TABLE IF NOT EXISTS staff (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS staff_sessions (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES staff (username) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS staff_sessions_user ON staff_sessions (username);
  CREATE INDEX IF NOT EXISTS staff_sessions_expires ON staff_sessions (expires_at);
  CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures (key, at);
  CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures (at);

  CREATE TABLE IF NOT EXISTS delivery_activities (
    activity_id TEXT PRIMARY KEY,
    first_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS delivery_activities_first
    ON delivery_activities (first_at, activity_id);
  CREATE TABLE IF NOT EXISTS deliveries (
    activity_id TEXT NOT NULL,
    inbox TEXT NOT NULL,
    host TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (activity_id, inbox)
  );
  CREATE INDEX IF NOT EXISTS deliveries_state ON deliveries (state, activity_id);

  CREATE TABLE IF NOT EXISTS hub_subscriptions (
    topic TEXT NOT NULL,
    callback TEXT NOT NULL,
    callback_host TEXT NOT NULL,
    secret TEXT,
    lease_seconds INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (topic, callback)
  );
  CREATE INDEX IF NOT EXISTS hub_subscriptions_host
    ON hub_subscriptions (callback_host, expires_at);
  CREATE INDEX IF NOT EXISTS hub_subscriptions_expires ON hub_subscriptions (expires_at);
`;
