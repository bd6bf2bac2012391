import postgres from "postgres";
import { describe } from "vitest";
import { sqlitePath } from "../../src/storage/open.ts";
import { claim as claimPostgres } from "../../src/storage/postgres/queue.ts";
import { openSqlite } from "../../src/storage/sqlite/open.ts";
import { claim as claimSqlite } from "../../src/storage/sqlite/queue.ts";
import { backends, type Target } from "./backends.ts";
import { type CrashClaim, queueSuite } from "./queue.suite.ts";

/** SQLite: a second handle claims, then is closed without finishing. */
const sqliteCrash: CrashClaim = async (target: Target, leaseMs: number) => {
  const db = openSqlite(sqlitePath(target.dataDir));
  try {
    return claimSqlite(db, crypto.randomUUID(), leaseMs)?.message;
  } finally {
    db.close();
  }
};

/** PostgreSQL: a second connection claims, then is ended without finishing. */
const postgresCrash: CrashClaim = async (target: Target, leaseMs: number) => {
  const sql = postgres(target.databaseUrl as string, { max: 1 });
  try {
    return (await claimPostgres(sql, crypto.randomUUID(), leaseMs))?.message;
  } finally {
    await sql.end({ timeout: 1 });
  }
};

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`MessageQueue at-least-once on ${backend.name}`, () =>
    queueSuite(backend, backend.name === "sqlite" ? sqliteCrash : postgresCrash),
  );
}
