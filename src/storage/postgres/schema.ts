import type { Sql, TransactionSql } from "postgres";
import { backfillFollowerHosts } from "./follower-hosts.ts";
import { SCHEMA_ARTICLES } from "./schema-articles.ts";
import { SCHEMA_AUDIT } from "./schema-audit.ts";
import { interactionsThatHold } from "./schema-interactions.ts";
import { SCHEMA_LANES } from "./schema-lanes.ts";
import { SCHEMA_OUTBOX } from "./schema-outbox.ts";
import { SCHEMA_PASSWORD_LINKS } from "./schema-password-links.ts";
import { SCHEMA_PICTURES } from "./schema-pictures.ts";
import { SCHEMA_STAFF_DEVICES, SCHEMA_STAFF_ROLES } from "./schema-roles.ts";
import { SCHEMA_V2 } from "./schema-v2.ts";

/**
 * Schema versions, applied in order; `loa_schema_version` records how many ran.
 * Append new steps, never edit old ones. Tables are LOGGED (a crash keeps them).
 * A step is SQL, or a function for what SQL cannot do (parsing URLs as the code does).
 */
const MIGRATIONS: readonly (string | ((tx: TransactionSql) => Promise<void>))[] = [
  `CREATE TABLE IF NOT EXISTS followers (
     actor_id text PRIMARY KEY,
     follow_id text NOT NULL,
     inbox text NOT NULL,
     shared_inbox text,
     created_at timestamptz NOT NULL
   );
   CREATE INDEX IF NOT EXISTS followers_created ON followers (created_at, actor_id);
   CREATE TABLE IF NOT EXISTS ledger (
     slug text PRIMARY KEY,
     file text NOT NULL,
     hash text NOT NULL,
     action text NOT NULL,
     activity_id text NOT NULL,
     version integer NOT NULL,
     published timestamptz NOT NULL,
     updated timestamptz,
     queued_at timestamptz
   );
   CREATE TABLE IF NOT EXISTS leases (
     name text PRIMARY KEY,
     holder text NOT NULL,
     expires_at timestamptz NOT NULL
   );
   CREATE TABLE IF NOT EXISTS kv (
     key text[] PRIMARY KEY,
     value jsonb,
     expires_at timestamptz
   );
   CREATE INDEX IF NOT EXISTS kv_expires ON kv (expires_at) WHERE expires_at IS NOT NULL;
   CREATE TABLE IF NOT EXISTS queue (
     id bigserial PRIMARY KEY,
     message jsonb,
     ordering_key text,
     ready_at timestamptz NOT NULL,
     lease_until timestamptz,
     lease_token text,
     attempts integer NOT NULL DEFAULT 0
   );
   CREATE INDEX IF NOT EXISTS queue_ready ON queue (ready_at, id);
   CREATE INDEX IF NOT EXISTS queue_ordering ON queue (ordering_key, id)
     WHERE ordering_key IS NOT NULL;`,
  async (tx) => {
    await tx.unsafe(SCHEMA_V2);
    // Followers from before the host column: the same host the code writes.
    await backfillFollowerHosts(tx);
  },
  SCHEMA_AUDIT,
  interactionsThatHold,
  SCHEMA_PICTURES,
  SCHEMA_STAFF_ROLES + SCHEMA_STAFF_DEVICES,
  SCHEMA_ARTICLES,
  SCHEMA_LANES,
  SCHEMA_OUTBOX,
  SCHEMA_PASSWORD_LINKS,
];

/**
 * Brings the schema (in the connection's `search_path`) up to date. Several
 * processes may start at once: a transaction-scoped advisory lock lets one
 * migrate while the others wait, then find nothing left to do.
 */
export async function migratePostgres(sql: Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtext('loa_schema:' || coalesce(current_schema(), '')))`;
    await tx`CREATE TABLE IF NOT EXISTS loa_schema_version (version integer NOT NULL)`;
    const rows = await tx<{ version: number }[]>`SELECT version FROM loa_schema_version`;
    const current = rows[0]?.version ?? 0;
    for (let version = current; version < MIGRATIONS.length; version++) {
      const step = MIGRATIONS[version];
      if (typeof step === "function") await step(tx);
      else await tx.unsafe(step as string);
    }
    if (rows.length === 0) {
      await tx`INSERT INTO loa_schema_version (version) VALUES (${MIGRATIONS.length})`;
    } else if (current < MIGRATIONS.length) {
      await tx`UPDATE loa_schema_version SET version = ${MIGRATIONS.length}`;
    }
  });
}
