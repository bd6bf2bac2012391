import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { KvStore } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import postgres, { type Sql } from "postgres";
import type { Config } from "../config.ts";
import { LANES, type Lane, type LaneQueue, type QueueLanes } from "./lanes.ts";
import { PostgresKvStore } from "./postgres/kv.ts";
import { PostgresMessageQueue } from "./postgres/queue.ts";
import { migratePostgres } from "./postgres/schema.ts";
import { createPostgresStore } from "./postgres/store.ts";
import type { QueueOptions } from "./queue-listener.ts";
import { SqliteKvStore } from "./sqlite/kv.ts";
import { openSqlite } from "./sqlite/open.ts";
import { SqliteMessageQueue } from "./sqlite/queue.ts";
import { createSqliteStore } from "./sqlite/store.ts";
import type { Store } from "./store.ts";

const logger = getLogger(["loa", "storage"]);

/** The server's durable state: the project's store and what Fedify needs. */
export interface Storage {
  store: Store;
  /** For `createFederation({ kv })`. */
  kv: KvStore;
  /**
   * The durable queue, one `MessageQueue` per lane (see `lanes.ts`):
   * at-least-once. Do not wrap them in `ParallelMessageQueue` (it would
   * acknowledge messages before handling ends).
   */
  lanes: QueueLanes;
  backend: "sqlite" | "postgres";
  /** Closes the database. Stop the queue's listeners (abort, await `listen`) first. */
  close(): Promise<void>;
}

/** Tuning for {@link openStorage}; the defaults suit production. */
export interface OpenStorageOptions {
  /** Passed to each lane's queue: `workers` (default 4), `leaseMs` (30 s), `pollMs`. */
  queue?: QueueOptions;
}

function eachLane(open: (lane: Lane) => LaneQueue): QueueLanes {
  return Object.fromEntries(LANES.map((lane) => [lane, open(lane)])) as Record<Lane, LaneQueue>;
}

/** The SQLite file inside `DATA_DIR`. */
export function sqlitePath(dataDir: string): string {
  return join(dataDir, "loa.sqlite");
}

/**
 * Opens the embedded SQLite store in `dataDir` (creating the directory), or,
 * when `databaseUrl` is set, PostgreSQL. Either way the schema is brought up to
 * date first; on PostgreSQL several processes may do so at once.
 */
export async function openStorage(
  config: Pick<Config, "dataDir" | "databaseUrl">,
  options: OpenStorageOptions = {},
): Promise<Storage> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, options);
  mkdirSync(config.dataDir, { recursive: true });
  const path = sqlitePath(config.dataDir);
  const db = openSqlite(path);
  const store = createSqliteStore(db);
  const queues = LANES.map(
    (lane) =>
      new SqliteMessageQueue(db, options.queue, { lane, wakeChannel: `loa-queue:${lane}:${path}` }),
  );
  logger.info("Storage: SQLite at {path}", { path });
  return {
    store,
    kv: new SqliteKvStore(db),
    lanes: eachLane((lane) => queues[LANES.indexOf(lane)] as SqliteMessageQueue),
    backend: "sqlite",
    close: () => {
      for (const queue of queues) queue.close();
      return store.close();
    },
  };
}

/** Connects to PostgreSQL at `url` and migrates its schema. */
export async function openPostgres(
  url: string,
  options: OpenStorageOptions = {},
): Promise<Storage> {
  const sql = await connectPostgres(url);
  const store = createPostgresStore(sql);
  logger.info("Storage: PostgreSQL at {host}", { host: safeHost(url) });
  return {
    store,
    kv: new PostgresKvStore(sql),
    lanes: eachLane((lane) => new PostgresMessageQueue(sql, options.queue, lane)),
    backend: "postgres",
    close: () => store.close(),
  };
}

/** A connection pool to `url` with the schema brought up to date. */
export async function connectPostgres(url: string): Promise<Sql> {
  const sql = postgres(url, {
    onnotice: () => {}, // "relation already exists, skipping" from IF NOT EXISTS
  });
  try {
    await migratePostgres(sql);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
  return sql;
}

/** The URL's host and database, without credentials, for logs. */
function safeHost(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "(unparsable URL)";
  }
}
