/**
 * The hub's main flow with its state in PostgreSQL (`DATABASE_URL`):
 * subscriptions, the queue and the distributed ETags all live there.
 */
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, it } from "vitest";
import { writeArticle } from "../federation/e2e.ts";
import { makeContent } from "../hardening/helpers.ts";
import { postgresUrl } from "../helpers/postgres.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { mainFlow } from "./flow.ts";

const databaseUrl = await postgresUrl();
let server: TestServer;
let dir: string;

beforeAll(async () => {
  if (databaseUrl === null) return;
  dir = await makeContent("loa-websub-pg-");
  await writeArticle(dir, "mo-dau", ["title: Mở đầu", "published: 2024-01-02T08:00:00+07:00"]);
  server = await startServer({ contentDir: dir, env: { DATABASE_URL: databaseUrl } });
}, 60_000);

afterAll(async () => {
  await server?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(databaseUrl === null)("WebSub hub (PostgreSQL)", () => {
  it("verifies intent, pushes a signed body within 10 s, and honours unsubscribe", async () => {
    await mainFlow(server, dir);
  }, 60_000);
});
