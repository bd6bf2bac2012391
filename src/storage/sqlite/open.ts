import { DatabaseSync, type StatementSync } from "node:sqlite";
import { backfillFollowerHosts } from "./follower-hosts.ts";
import { SCHEMA_ARTICLES } from "./schema-articles.ts";
import { SCHEMA_AUDIT } from "./schema-audit.ts";
import { interactionsThatHold } from "./schema-interactions.ts";
import { addQueueLanes } from "./schema-lanes.ts";
import { SCHEMA_OUTBOX } from "./schema-outbox.ts";
import { SCHEMA_PASSWORD_LINKS } from "./schema-password-links.ts";
import { SCHEMA_PICTURES } from "./schema-pictures.ts";
import { staffRolesStep } from "./schema-roles.ts";
import { SCHEMA_V2 } from "./schema-v2.ts";

/**
 * Schema versions, applied in order; `PRAGMA user_version` records how many ran.
 * Append new steps, never edit old ones. Times are Unix milliseconds. A step is
 * SQL, or a function for what SQL cannot do (parsing URLs as the code does).
 */
const MIGRATIONS: readonly (string | ((db: DatabaseSync) => void))[] = [
  `CREATE TABLE IF NOT EXISTS followers (
     actor_id TEXT PRIMARY KEY,
     follow_id TEXT NOT NULL,
     inbox TEXT NOT NULL,
     shared_inbox TEXT,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX IF NOT EXISTS followers_created ON followers (created_at, actor_id);
   CREATE TABLE IF NOT EXISTS ledger (
     slug TEXT PRIMARY KEY,
     file TEXT NOT NULL,
     hash TEXT NOT NULL,
     action TEXT NOT NULL,
     activity_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     published INTEGER NOT NULL,
     updated INTEGER,
     queued_at INTEGER
   );
   CREATE TABLE IF NOT EXISTS leases (
     name TEXT PRIMARY KEY,
     holder TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE TABLE IF NOT EXISTS kv (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL,
     expires_at INTEGER
   );
   CREATE INDEX IF NOT EXISTS kv_expires ON kv (expires_at) WHERE expires_at IS NOT NULL;
   CREATE TABLE IF NOT EXISTS queue (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     message TEXT NOT NULL,
     ordering_key TEXT,
     ready_at INTEGER NOT NULL,
     lease_until INTEGER,
     lease_token TEXT,
     attempts INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX IF NOT EXISTS queue_ready ON queue (ready_at, id);
   CREATE INDEX IF NOT EXISTS queue_ordering ON queue (ordering_key, id)
     WHERE ordering_key IS NOT NULL;`,
  (db) => {
    db.exec(SCHEMA_V2);
    // Followers from before the host column: the same host the code writes.
    backfillFollowerHosts(db);
  },
  SCHEMA_AUDIT,
  interactionsThatHold,
  SCHEMA_PICTURES,
  staffRolesStep,
  SCHEMA_ARTICLES,
  addQueueLanes,
  SCHEMA_OUTBOX,
  SCHEMA_PASSWORD_LINKS,
];

/**
 * Opens (creating if needed) the SQLite database at `path` and brings its schema
 * up to date. One handle serves the store, the KV store and the queue.
 *
 * WAL lets readers run beside the writer; `busy_timeout` makes a second handle
 * (another process, or a test) wait for a lock instead of failing at once.
 */
export function openSqlite(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function migrate(db: DatabaseSync): void {
  transaction(db, () => {
    const row = db.prepare("PRAGMA user_version").get() as { user_version: number } | undefined;
    const current = row?.user_version ?? 0;
    for (let version = current; version < MIGRATIONS.length; version++) {
      const step = MIGRATIONS[version];
      if (typeof step === "function") step(db);
      else db.exec(step as string);
    }
    if (current < MIGRATIONS.length) db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
  });
}

const statements = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/**
 * The handle's prepared statement for `sql`, compiled once: preparing costs
 * more than running the queue's and KV store's small statements, and a fan-out
 * runs them several times per delivery. Callers finish with a statement
 * (`get`/`all`/`run`) before another can use it; nothing here iterates.
 */
export function prepared(db: DatabaseSync, sql: string): StatementSync {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

/**
 * Runs `fn` in an IMMEDIATE transaction (the write lock is taken up front, so
 * two handles cannot both read and then both write). `fn` must be synchronous:
 * the handle is shared, and an `await` inside would let other work join it.
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
