/** Fedify's own conformance suite for MessageQueue, on both backends. */
import { testMessageQueue } from "@fedify/testing";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { PostgresMessageQueue } from "../../src/storage/postgres/queue.ts";
import { migratePostgres } from "../../src/storage/postgres/schema.ts";
import { openSqlite } from "../../src/storage/sqlite/open.ts";
import { SqliteMessageQueue } from "../../src/storage/sqlite/queue.ts";
import { postgresUrl } from "../helpers/postgres.ts";
import { tempDir } from "./backends.ts";

const pgUrl = await postgresUrl();

describe.concurrent("testMessageQueue() from @fedify/testing", () => {
  it("passes on SQLite (two handles on one file)", async () => {
    const path = `${tempDir()}/loa.sqlite`;
    const handles: ReturnType<typeof openSqlite>[] = [];
    await testMessageQueue(
      () => {
        const db = openSqlite(path);
        handles.push(db);
        return new SqliteMessageQueue(db);
      },
      ({ controller }) => {
        controller.abort();
        for (const db of handles) db.close();
      },
      { testOrderingKey: true },
    );
    expect(handles).toHaveLength(2);
  });

  it.skipIf(pgUrl === null)("passes on PostgreSQL (two connection pools)", async () => {
    const pools: postgres.Sql[] = [];
    await testMessageQueue(
      async () => {
        const sql = postgres(pgUrl as string, { onnotice: () => {} });
        pools.push(sql);
        await migratePostgres(sql);
        return new PostgresMessageQueue(sql);
      },
      async ({ controller }) => {
        controller.abort();
        for (const sql of pools) await sql.end({ timeout: 1 });
      },
      { testOrderingKey: true },
    );
    expect(pools).toHaveLength(2);
  });
});
