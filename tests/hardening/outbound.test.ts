/**
 * What the server fetches from peers: never private or loopback addresses
 * unless ALLOW_PRIVATE_ADDRESS=1, at most a few redirects, a bounded number of
 * bytes, within a bounded time (src/federation/outbound-fetch.ts; Fedify's own
 * loader has no timeout or size bound and follows 20 redirects).
 */
import { rm } from "node:fs/promises";
import { signRequest } from "@fedify/fedify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardFetch } from "../../src/federation/outbound-fetch.ts";
import { AS2, ENTRY, followerCount } from "../federation/e2e.ts";
import { type Peer, startPeer } from "../helpers/peer.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { makeContent, type Receiver, startReceiver } from "./helpers.ts";

let content: string;
let peer: Peer;
let host: Receiver;
/** Requests the fake remote host saw, by path. */
const seen: string[] = [];
const BIG = 300 * 1024;

beforeAll(async () => {
  content = await makeContent("loa-hard-outbound-");
  peer = await startPeer();
  host = await startReceiver();
  // A remote host with an oversized actor, a long redirect chain, and a slow answer.
  host.respond = (req, res) => {
    const path = req.url ?? "";
    seen.push(path);
    const hop = /^\/hop\/(\d+)/.exec(path);
    if (hop) {
      const n = Number(hop[1]);
      res.writeHead(302, { Location: n >= 10 ? "/end" : `/hop/${n + 1}` }).end();
    } else if (path.startsWith("/big")) {
      // Chunked: no Content-Length to refuse up front.
      res.writeHead(200, { "Content-Type": AS2 });
      res.write(`{"@context":"https://www.w3.org/ns/activitystreams","id":"x","name":"`);
      res.end(`${"a".repeat(BIG)}"}`);
    } else if (path.startsWith("/slow")) {
      setTimeout(() => res.writeHead(200, { "Content-Type": AS2 }).end("{}"), 3000);
    } else {
      res.writeHead(200, { "Content-Type": AS2 }).end('{"ok":true}');
    }
  };
});

afterAll(async () => {
  await Promise.all([peer?.close(), host?.close()]);
  await rm(content, { recursive: true, force: true });
});

/** A Follow signed by the peer's key but naming `keyId` on the fake host. */
async function followWithKey(inbox: string, actorUrl: string, keyPath: string): Promise<number> {
  const body = JSON.stringify({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${host.origin}/follows/${keyPath.replace(/\W/g, "")}`,
    type: "Follow",
    actor: `${host.origin}${keyPath}`,
    object: actorUrl,
  });
  const req = new Request(inbox, { method: "POST", headers: { "Content-Type": AS2 }, body });
  const signed = await signRequest(
    req,
    peer.privateKey,
    new URL(`${host.origin}${keyPath}#main-key`),
  );
  const res = await fetch(signed);
  await res.body?.cancel();
  return res.status;
}

describe("without ALLOW_PRIVATE_ADDRESS", () => {
  let server: TestServer;
  afterAll(() => server?.cleanup());

  it("does not fetch a loopback peer's key or actor, so its Follow is not stored", async () => {
    server = await startServer({
      contentDir: content,
      entry: ENTRY,
      env: { ALLOW_PRIVATE_ADDRESS: "0" },
    });
    const actorUrl = `${server.origin}/users/cualo`;
    const before = seen.length;
    expect(await followWithKey(`${actorUrl}/inbox`, actorUrl, "/actor")).toBe(401);
    // The real peer, following the usual way, is refused too.
    await peer.follow(actorUrl).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.length).toBe(before);
    expect(await followerCount(actorUrl)).toBe(0);
    expect(server.output()).toMatch(/private|Localhost|Invalid or private address/i);
  });
});

describe("bounds on what Fedify's document loader reads (through the real server)", () => {
  let server: TestServer;
  afterAll(() => server?.cleanup());

  it("refuses a key behind more than 3 redirects and an actor larger than FETCH_MAX_BYTES", async () => {
    server = await startServer({
      contentDir: content,
      entry: ENTRY,
      env: { FETCH_MAX_BYTES: String(64 * 1024), FETCH_TIMEOUT_MS: "1000" },
    });
    const actorUrl = `${server.origin}/users/cualo`;
    const inbox = `${actorUrl}/inbox`;
    expect(await followWithKey(inbox, actorUrl, "/hop/1")).toBe(401);
    // Fedify would follow 20 hops to /end; the guard stops after 3 (hops 1..4 requested).
    const hops = seen.filter((p) => p.startsWith("/hop/")).map((p) => Number(p.slice(5)));
    expect(hops.length).toBeGreaterThan(0);
    expect(Math.max(...hops)).toBe(4);
    expect(seen).not.toContain("/end");
    expect(await followWithKey(inbox, actorUrl, "/big")).toBe(401);
    expect(await followWithKey(inbox, actorUrl, "/slow")).toBe(401);
    const log = server.output();
    expect(log).toMatch(/Not following more than 3 redirects/);
    expect(log).toMatch(/past the 65536-byte limit/);
    expect(log).toMatch(/took longer than 1000 ms/);
    expect(await followerCount(actorUrl)).toBe(0);
    expect((await fetch(`${server.origin}/.well-known/nodeinfo`)).status).toBe(200);
  });
});

describe("guardFetch", () => {
  const guarded = guardFetch(fetch, { timeoutMs: 500, maxBytes: 64 * 1024, maxRedirects: 3 });

  it("lets ordinary requests and short redirect chains through", async () => {
    expect(await (await guarded(`${host.origin}/ok`)).json()).toEqual({ ok: true });
    const res = await guarded(`${host.origin}/hop/8`, { redirect: "manual" });
    expect(res.status).toBe(302);
  });

  it("cuts a body off past maxBytes, and a slow answer at the timeout", async () => {
    // A JSON document is read whole (to check its nesting), so the cut comes with the response.
    await expect(guarded(`${host.origin}/big`).then((r) => r.text())).rejects.toThrow(/exceeds/);
    await expect(guarded(`${host.origin}/slow`)).rejects.toThrow(/timeout|abort/i);
  });

  it("refuses the fourth redirect of a chain followed by hand (as Fedify does)", async () => {
    let url = `${host.origin}/hop/1`;
    const follow = async () => {
      for (;;) {
        const res = await guarded(url, { redirect: "manual" });
        const location = res.headers.get("Location");
        if (location == null) return res;
        url = new URL(location, url).href;
      }
    };
    await expect(follow()).rejects.toThrow(/Too many redirects/);
    expect(url).toBe(`${host.origin}/hop/4`);
  });
});
