/**
 * Crashes lose nothing: the real server is killed (SIGKILL) in the middle of
 * a fan-out to hundreds of inboxes, and between writing an article and
 * reconciling it; after a restart every follower has the article, and every
 * copy carries the same activity id. SIGTERM drains and exits 0.
 */
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRY, writeArticle } from "../federation/e2e.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import {
  makeContent,
  type Receiver,
  record,
  seedFollowers,
  startReceiver,
  until,
} from "./helpers.ts";

const FOLLOWERS = 200;
let content: string;
let server: TestServer;
let receiver: Receiver;

const names = Array.from({ length: FOLLOWERS }, (_, i) => `f${i}`);

/** Creates received so far, for one article's Note. */
function createsOf(slug: string) {
  return receiver.deliveries.filter(
    (d) => d.type === "Create" && d.object.endsWith(`/articles/${slug}`),
  );
}

/** Waits until every follower's inbox got a Create for `slug`; returns the ids seen. */
async function everyInboxGot(slug: string): Promise<Set<string>> {
  await until(
    () => new Set(createsOf(slug).map((d) => d.path)).size === FOLLOWERS,
    `all ${FOLLOWERS} inboxes to get ${slug}`,
    45_000,
  );
  const paths = new Set(createsOf(slug).map((d) => d.path));
  expect(paths).toEqual(new Set(names.map((n) => `/inbox/${n}`)));
  return new Set(createsOf(slug).map((d) => d.id));
}

const recent = () => `published: ${new Date(Date.now() - 60_000).toISOString()}`;

beforeAll(async () => {
  content = await makeContent("loa-hard-crash-");
  receiver = await startReceiver();
  // Slow enough that a fan-out takes seconds, so a kill lands in the middle of it.
  receiver.respond = (req, res, body) => {
    setTimeout(() => {
      record(receiver, req, body);
      res.writeHead(202).end();
    }, 10);
  };
  server = await startServer({
    contentDir: content,
    entry: ENTRY,
    // A dead process's claims come back after 1 s; failed attempts retry fast.
    env: { QUEUE_LEASE_MS: "1000", DELIVERY_RETRY_INITIAL_MS: "200" },
  });
  await seedFollowers(
    server.dataDir,
    names.map((name) => ({ origin: receiver.origin, name })),
  );
}, 30_000);

afterAll(async () => {
  await server?.cleanup();
  await receiver?.close();
  await rm(content, { recursive: true, force: true });
});

describe("crashes", () => {
  it("SIGKILL in the middle of a fan-out: after a restart every inbox has the article, one activity id", async () => {
    await writeArticle(content, "giua-chung", ["title: Giữa chừng", recent()]);
    await until(() => createsOf("giua-chung").length >= 20, "the fan-out to start");
    expect(await server.kill("SIGKILL")).toBeNull();
    const before = new Set(createsOf("giua-chung").map((d) => d.path)).size;
    expect(before).toBeLessThan(FOLLOWERS);
    await server.start();
    const ids = await everyInboxGot("giua-chung");
    expect(ids.size).toBe(1);
  }, 60_000);

  it("SIGKILL between writing an article and reconciling it: sent after the restart", async () => {
    await writeArticle(content, "vua-viet", ["title: Vừa viết", recent()]);
    expect(await server.kill("SIGKILL")).toBeNull();
    await server.start();
    const ids = await everyInboxGot("vua-viet");
    expect(ids.size).toBe(1);
  }, 60_000);

  it("SIGTERM mid fan-out drains and exits 0; the rest goes out after the restart", async () => {
    await writeArticle(content, "dung-lai", ["title: Dừng lại", recent()]);
    await until(() => createsOf("dung-lai").length >= 20, "the fan-out to start");
    expect(await server.kill("SIGTERM")).toBe(0);
    await server.start();
    const ids = await everyInboxGot("dung-lai");
    expect(ids.size).toBe(1);
    // Earlier articles were not sent again (one activity per change, across restarts).
    expect(new Set(createsOf("giua-chung").map((d) => d.id)).size).toBe(1);
  }, 60_000);
});
