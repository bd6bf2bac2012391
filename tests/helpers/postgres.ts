/**
 * PostgreSQL for tests: each call gives a fresh, empty schema in the test
 * database (through `search_path` in the URL, which `postgres` passes on as a
 * connection parameter), dropped when the test file ends.
 *
 * Call {@link postgresUrl} at the top level of a test file (it registers the
 * cleanup), then {@link freshPostgresUrl} inside tests for more schemas.
 */

import postgres from "postgres";
import { afterAll } from "vitest";

const baseUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const created: string[] = [];
let available: boolean | undefined;

async function admin<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(baseUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** A URL to a new empty schema; null (with a warning) when no server answers. */
export async function postgresUrl(): Promise<string | null> {
  if (available === undefined) {
    try {
      await admin((sql) => sql`SELECT 1`);
      available = true;
      afterAll(dropSchemas);
    } catch (error) {
      available = false;
      console.warn(
        `PostgreSQL suites skipped: no server at ${redact(baseUrl)} (${String(error)}). ` +
          "Set TEST_DATABASE_URL to run them.",
      );
    }
  }
  return available ? freshPostgresUrl() : null;
}

/** Another new empty schema; only after {@link postgresUrl} returned a URL. */
export async function freshPostgresUrl(): Promise<string> {
  const schema = `loa_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await admin((sql) => sql`CREATE SCHEMA ${sql(schema)}`);
  created.push(schema);
  const url = new URL(baseUrl);
  url.searchParams.set("search_path", schema);
  return url.href;
}

async function dropSchemas(): Promise<void> {
  const schemas = created.splice(0);
  if (schemas.length === 0) return;
  await admin(async (sql) => {
    for (const schema of schemas) await sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`;
  });
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//…@");
}
