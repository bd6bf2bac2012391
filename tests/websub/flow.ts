/**
 * The hub's main flow against a running server, shared by the SQLite and
 * PostgreSQL suites: a right and a wrong challenge, a signed push within
 * 10 s of a new article file, an unsubscribe after which nothing comes.
 */
import { createHmac } from "node:crypto";
import { expect } from "vitest";
import { eventually, writeArticle } from "../federation/e2e.ts";
import type { TestServer } from "../helpers/server.ts";
import { hubRequest, type Subscriber, startSubscriber } from "./subscriber.ts";

export const SECRET = "bí mật của cổng tin";

export function hmac(secret: string, body: Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Subscribes and waits until the hub's verification GET arrived. */
export async function subscribe(
  server: TestServer,
  subscriber: Subscriber,
  topic: string,
  extra: Record<string, string> = {},
): Promise<URLSearchParams> {
  const before = subscriber.verifications.length;
  const { status, text } = await hubRequest(server.origin, {
    "hub.mode": "subscribe",
    "hub.topic": topic,
    "hub.callback": subscriber.callback,
    ...extra,
  });
  expect(status, text).toBe(202);
  await eventually(async () => subscriber.verifications.length > before, "verification GET");
  const got = subscriber.verifications[before];
  if (!got) throw new Error("no verification");
  return got;
}

export async function mainFlow(server: TestServer, contentDir: string): Promise<void> {
  const topic = `${server.origin}/atom.xml`;
  const right = await startSubscriber("right");
  const wrong = await startSubscriber("wrong", { challenge: "wrong" });
  const leaving = await startSubscriber("leaving");
  try {
    const asked = await subscribe(server, right, topic, {
      "hub.secret": SECRET,
      "hub.lease_seconds": "3600",
    });
    expect(asked.get("hub.mode")).toBe("subscribe");
    expect(asked.get("hub.topic")).toBe(topic);
    expect(asked.get("hub.lease_seconds")).toBe("3600");
    expect(asked.get("hub.challenge")?.length).toBeGreaterThan(10);
    // The callback's own query is kept.
    expect(asked.get("name")).toBe("right");
    await subscribe(server, wrong, topic);
    await subscribe(server, leaving, topic);
    const bye = await hubRequest(server.origin, {
      "hub.mode": "unsubscribe",
      "hub.topic": topic,
      "hub.callback": leaving.callback,
    });
    expect(bye.status).toBe(202);
    await eventually(async () => leaving.verifications.length === 2, "unsubscribe verification");
    expect(leaving.verifications[1]?.get("hub.mode")).toBe("unsubscribe");
    // Verification runs from the queue: give the store write a moment after the answer.
    await new Promise((r) => setTimeout(r, 500));

    const written = Date.now();
    await writeArticle(contentDir, "hub-first-push", [
      "title: Thông báo lịch cắt điện",
      `published: ${new Date(written - 60_000).toISOString()}`,
    ]);
    // The push of the new body (a hub may also have pushed the body it saw before the
    // article, e.g. a sweep that ran between the subscription and the write).
    const carries = (p: (typeof right.pushes)[number]) =>
      p.body.toString("utf8").includes("Thông báo lịch cắt điện");
    await eventually(async () => right.pushes.some(carries), "push to the right subscriber");
    const first = right.pushes.find(carries);
    if (!first) throw new Error("no push");
    expect(first.at - written).toBeLessThan(10_000);
    expect(first.headers["content-type"]).toMatch(/^application\/atom\+xml/);
    expect(first.headers.link).toContain(`<${server.origin}/websub>; rel="hub"`);
    expect(first.headers.link).toContain(`<${topic}>; rel="self"`);
    expect(first.headers["x-hub-signature"]).toBe(hmac(SECRET, first.body));
    expect(first.body.toString("utf8")).toContain("Thông báo lịch cắt điện");
    // The pushed body is the feed a reader fetches now.
    expect(first.body.toString("utf8")).toBe(await (await fetch(topic)).text());
    // Whatever else the queue held is done by the time the right one got its push plus a second.
    await new Promise((r) => setTimeout(r, 1000));
    expect(wrong.verifications).toHaveLength(1);
    expect(wrong.pushes).toHaveLength(0);
    expect(leaving.pushes).toHaveLength(0);
  } finally {
    await Promise.all([right.close(), wrong.close(), leaving.close()]);
  }
}
