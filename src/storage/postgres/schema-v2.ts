/**
 * Schema step 2 on PostgreSQL: this wave's tables (interactions and blocks,
 * staff and sessions, delivery progress, WebSub subscriptions) and the
 * followers' host column. `text` holds any length (a reply's body is capped at
 * 64 KiB by the inbox, not here).
 */
export const SCHEMA_V2 = `
  ALTER TABLE followers ADD COLUMN IF NOT EXISTS host text;
  CREATE INDEX IF NOT EXISTS followers_host ON followers (host);

  CREATE TABLE IF NOT EXISTS interactions (
    id text PRIMARY KEY,
    kind text NOT NULL,
    actor_id text NOT NULL,
    actor_host text NOT NULL,
    author_name text,
    author_handle text,
    author_avatar_url text,
    author_profile_url text,
    slug text,
    in_reply_to text,
    url text,
    language text,
    html text,
    visibility text NOT NULL,
    state text NOT NULL,
    published timestamptz NOT NULL,
    updated timestamptz,
    received_at timestamptz NOT NULL
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
    kind text NOT NULL,
    value text NOT NULL,
    created_at timestamptz NOT NULL,
    by_user text,
    PRIMARY KEY (kind, value)
  );

  CREATE TABLE IF NOT EXISTS staff (
    username text PRIMARY KEY,
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL
  );
  CREATE TABLE IF NOT EXISTS staff_sessions (
    id text PRIMARY KEY,
    username text NOT NULL REFERENCES staff (username) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
  );
  CREATE INDEX IF NOT EXISTS staff_sessions_user ON staff_sessions (username);
  CREATE INDEX IF NOT EXISTS staff_sessions_expires ON staff_sessions (expires_at);
  CREATE TABLE IF NOT EXISTS login_failures (
    key text NOT NULL,
    at timestamptz NOT NULL
  );
  CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures (key, at);
  CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures (at);

  CREATE TABLE IF NOT EXISTS delivery_activities (
    activity_id text PRIMARY KEY,
    first_at timestamptz NOT NULL
  );
  CREATE INDEX IF NOT EXISTS delivery_activities_first
    ON delivery_activities (first_at, activity_id);
  CREATE TABLE IF NOT EXISTS deliveries (
    activity_id text NOT NULL,
    inbox text NOT NULL,
    host text NOT NULL,
    state text NOT NULL,
    attempts integer NOT NULL,
    last_error text,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (activity_id, inbox)
  );
  CREATE INDEX IF NOT EXISTS deliveries_state ON deliveries (state, activity_id);

  CREATE TABLE IF NOT EXISTS hub_subscriptions (
    topic text NOT NULL,
    callback text NOT NULL,
    callback_host text NOT NULL,
    secret text,
    lease_seconds integer NOT NULL,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (topic, callback)
  );
  CREATE INDEX IF NOT EXISTS hub_subscriptions_host
    ON hub_subscriptions (callback_host, expires_at);
  CREATE INDEX IF NOT EXISTS hub_subscriptions_expires ON hub_subscriptions (expires_at);
`;
