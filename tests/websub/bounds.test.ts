/**
 * What one stranger can make the hub hold, against the real server process:
 * 1,000 subscription requests for one registrable domain, spread over ports
 * and subdomains, get at most WEBSUB_MAX_PENDING_PER_DOMAIN verifications
 * pending, and requests from many domains at most WEBSUB_MAX_PENDING; the
 * request path does no DNS (the names here resolve nowhere) and the server
 * stays up.
 */
import { rm } from "node:fs/promises";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlitePath } from "../../src/storage/open.ts";
import { makeContent } from "../hardening/helpers.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { hubRequest } from "./subscriber.ts";

let server: TestServer;
let dir: string;
const PER_DOMAIN = 20;
const TOTAL = 50;

beforeAll(async () => {
  dir = await makeContent("loa-websub-bounds-");
  server = await startServer({
    contentDir: dir,
    env: {
      ALLOW_PRIVATE_ADDRESS: "0",
      // Failed verifications wait long before their retry: they stay pending.
      DELIVERY_RETRY_INITIAL_MS: "600000",
      FETCH_CONNECT_TIMEOUT_MS: "500",
      WEBSUB_MAX_PENDING: String(TOTAL),
      WEBSUB_MAX_PENDING_PER_DOMAIN: String(PER_DOMAIN),
    },
  });
}, 60_000);

afterAll(async () => {
  await server?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** Sends every request, `width` at a time; returns the statuses and a sample of answers. */
async function sendAll(
  callbacks: string[],
  width = 25,
): Promise<{ statuses: number[]; texts: string[] }> {
  const statuses: number[] = [];
  const texts: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < callbacks.length) {
      const callback = callbacks[next++] as string;
      const { status, text } = await hubRequest(server.origin, {
        "hub.mode": "subscribe",
        "hub.topic": `${server.origin}/atom.xml`,
        "hub.callback": callback,
      });
      statuses.push(status);
      texts.push(text);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return { statuses, texts };
}

function stored(): { pending: number; subscriptions: number } {
  const db = new DatabaseSync(sqlitePath(server.dataDir), { readOnly: true });
  try {
    const pending = db
      .prepare(`SELECT count(*) AS n FROM kv WHERE key LIKE '["websub","pending",%'`)
      .get() as { n: number };
    const subs = db.prepare("SELECT count(*) AS n FROM hub_subscriptions").get() as { n: number };
    return { pending: Number(pending.n), subscriptions: Number(subs.n) };
  } finally {
    db.close();
  }
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe("WebSub pending verifications", () => {
  it("1,000 requests for one registrable domain across ports and subdomains: at most the per-domain bound", async () => {
    const callbacks = Array.from(
      { length: 1000 },
      (_, i) => `http://s${i % 97}.n${i}.evil.example:${1 + i * 61}/cb/${i}`,
    );
    const { statuses, texts } = await sendAll(callbacks);
    expect(count(statuses, 202) + count(statuses, 429)).toBe(1000);
    expect(count(statuses, 202)).toBe(PER_DOMAIN);
    expect(texts.find((t) => t.length > 0)).toMatch(
      /evil\.example already has 20 verifications pending/,
    );
    expect(stored()).toEqual({ pending: PER_DOMAIN, subscriptions: 0 });
  }, 120_000);

  it("requests from many domains: at most the total bound", async () => {
    const callbacks = Array.from({ length: 200 }, (_, i) => `https://hub.town${i}.example/cb`);
    const { statuses } = await sendAll(callbacks);
    expect(count(statuses, 202)).toBe(TOTAL - PER_DOMAIN);
    expect(count(statuses, 429)).toBe(200 - (TOTAL - PER_DOMAIN));
    expect(stored()).toEqual({ pending: TOTAL, subscriptions: 0 });
    const health = await fetch(`${server.origin}/healthz`);
    expect(health.status).toBe(200);
  }, 120_000);
});
