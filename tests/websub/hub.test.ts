/**
 * Loa as a WebSub hub, end to end on SQLite: the real server process on
 * loopback and subscribers with their own HTTP servers (`subscriber.ts`).
 */
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, writeArticle } from "../federation/e2e.ts";
import { makeContent } from "../hardening/helpers.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { hmac, mainFlow, SECRET, subscribe } from "./flow.ts";
import { hubRequest, type Subscriber, startSubscriber } from "./subscriber.ts";

let server: TestServer;
let dir: string;
const subscribers: Subscriber[] = [];

beforeAll(async () => {
  dir = await makeContent("loa-websub-");
  await writeArticle(dir, "mo-dau", ["title: Mở đầu", "published: 2024-01-02T08:00:00+07:00"]);
  server = await startServer({
    contentDir: dir,
    env: {
      DELIVERY_RETRY_INITIAL_MS: "300",
      DELIVERY_RETRY_MAX_MS: "1000",
      FETCH_TIMEOUT_MS: "1500",
      QUEUE_WORKERS: "4",
      WEBSUB_LEASE_DEFAULT_S: "600",
      WEBSUB_LEASE_MAX_S: "3600",
    },
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(subscribers.map((s) => s.close()));
  await server?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function subscriber(name: string, behaviour?: Parameters<typeof startSubscriber>[1]) {
  const s = await startSubscriber(name, behaviour);
  subscribers.push(s);
  return s;
}

const atom = () => `${server.origin}/atom.xml`;
const rss = () => `${server.origin}/rss.xml`;

describe("WebSub hub (SQLite)", () => {
  it("verifies intent, pushes a signed body within 10 s, and honours unsubscribe", async () => {
    await mainFlow(server, dir);
  }, 60_000);

  it("refuses bad requests with 400 and a reason, and stores nothing", async () => {
    const bystander = await subscriber("bystander");
    const base = {
      "hub.mode": "subscribe",
      "hub.topic": rss(),
      "hub.callback": bystander.callback,
    };
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...base, "hub.mode": "follow" }, /hub\.mode/],
      [{ "hub.topic": rss(), "hub.callback": bystander.callback }, /hub\.mode/],
      [{ ...base, "hub.topic": `${server.origin}/articles/mo-dau` }, /hub\.topic/],
      [{ ...base, "hub.topic": "https://elsewhere.example/atom.xml" }, /hub\.topic/],
      [{ ...base, "hub.callback": "ftp://127.0.0.1/hook" }, /hub\.callback.*http/],
      [{ ...base, "hub.callback": "not a url" }, /hub\.callback/],
      [{ ...base, "hub.lease_seconds": "-5" }, /hub\.lease_seconds/],
      [{ ...base, "hub.secret": "x".repeat(200) }, /hub\.secret.*200 bytes/],
    ];
    for (const [fields, reason] of cases) {
      const { status, text } = await hubRequest(server.origin, fields);
      expect(status, JSON.stringify(fields)).toBe(400);
      expect(text).toMatch(reason);
    }
    const notForm = await fetch(`${server.origin}/websub`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(base),
    });
    expect(notForm.status).toBe(400);
    expect(await notForm.text()).toMatch(/x-www-form-urlencoded/);
    // Nothing was queued: no verification ever reaches the callback, and no push later.
    await writeArticle(dir, "hub-bad-requests", [
      "title: Sau các yêu cầu sai",
      `published: ${new Date(Date.now() - 60_000).toISOString()}`,
    ]);
    await new Promise((r) => setTimeout(r, 2000));
    expect(bystander.verifications).toHaveLength(0);
    expect(bystander.pushes).toHaveLength(0);
  }, 60_000);

  it("retries a failed push, ends a lease, and lets no subscriber hold up the others", async () => {
    const steady = await subscriber("steady");
    const failing = await subscriber("failing", { push: (n) => (n === 0 ? 500 : 204) });
    const hanging = await subscriber("hanging", { push: () => "hang" });
    const brief = await subscriber("brief");
    await subscribe(server, hanging, rss());
    await subscribe(server, steady, rss(), { "hub.secret": SECRET });
    await subscribe(server, failing, rss());
    const asked = await subscribe(server, brief, rss(), { "hub.lease_seconds": "1" });
    expect(asked.get("hub.lease_seconds")).toBe("1");
    // Past the brief lease.
    await new Promise((r) => setTimeout(r, 2500));

    const written = Date.now();
    await writeArticle(dir, "hub-retry", [
      "title: Lịch tiêm chủng tháng này",
      `published: ${new Date(written - 60_000).toISOString()}`,
    ]);
    await eventually(async () => steady.pushes.length > 0, "push to the steady subscriber");
    const got = steady.pushes[0];
    expect(got && got.at - written).toBeLessThan(10_000);
    expect(got?.headers["x-hub-signature"]).toBe(got && hmac(SECRET, got.body));
    // The hanging one was tried, and the others were served meanwhile.
    await eventually(async () => failing.pushes.length >= 2, "retry to the failing subscriber");
    expect(failing.pushes[1]?.body.equals(failing.pushes[0]?.body ?? Buffer.alloc(0))).toBe(true);
    expect(failing.pushes[1]?.body.toString()).toContain("Lịch tiêm chủng tháng này");
    await eventually(async () => hanging.pushes.length >= 2, "the hanging subscriber's retry");
    expect(brief.pushes).toHaveLength(0);
  }, 60_000);

  it("keeps subscriptions across a restart and pushes only what changed", async () => {
    const loyal = await subscriber("loyal");
    await subscribe(server, loyal, atom(), { "hub.secret": SECRET });
    await new Promise((r) => setTimeout(r, 500));
    await server.stop();
    await server.start();
    // Nothing changed while it was down: the restart pushes nothing.
    await new Promise((r) => setTimeout(r, 1500));
    expect(loyal.pushes).toHaveLength(0);
    await writeArticle(dir, "hub-after-restart", [
      "title: Sau khi khởi động lại",
      `published: ${new Date(Date.now() - 60_000).toISOString()}`,
    ]);
    await eventually(async () => loyal.pushes.length > 0, "push after the restart");
    expect(loyal.pushes[0]?.body.toString()).toContain("Sau khi khởi động lại");
  }, 60_000);
});

describe("WebSub hub without ALLOW_PRIVATE_ADDRESS", () => {
  it("refuses a callback on loopback", async () => {
    const guarded = await startServer({ contentDir: dir, env: { ALLOW_PRIVATE_ADDRESS: "0" } });
    const target = await subscriber("loopback");
    try {
      const { status, text } = await hubRequest(guarded.origin, {
        "hub.mode": "subscribe",
        "hub.topic": `${guarded.origin}/atom.xml`,
        "hub.callback": target.callback,
      });
      expect(status).toBe(400);
      expect(text).toMatch(/hub\.callback.*private or loopback/);
      await new Promise((r) => setTimeout(r, 1000));
      expect(target.verifications).toHaveLength(0);
    } finally {
      await guarded.cleanup();
    }
  }, 60_000);
});
