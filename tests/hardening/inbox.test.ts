/**
 * Hostile inbox input against the real server process: every bad request gets
 * a 4xx with a short reason (or, where ActivityPub convention is to
 * accept-and-ignore, a 2xx), never a 5xx, and followers and ledger stay
 * exactly as they were.
 */

import { rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { signRequest } from "@fedify/fedify";
import { Accept } from "@fedify/fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toInstant } from "../../src/publish/temporal.ts";
import { AS2, ENTRY, eventually, followerCount, writeArticle } from "../federation/e2e.ts";
import { type Peer, startPeer } from "../helpers/peer.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { makeContent, readState } from "./helpers.ts";

let content: string;
let server: TestServer;
let peer: Peer;
let other: Peer;
let actorUrl: string;
let inbox: string;
let accepted: { id: string; body: string; headers: Headers };
let before: ReturnType<typeof readState>;

const activity = (fields: Record<string, unknown>) =>
  JSON.stringify({ "@context": "https://www.w3.org/ns/activitystreams", ...fields });

const followBody = (suffix: string, object = actorUrl, actor = peer.actorId.href) =>
  activity({ id: `${peer.origin}/follows/${suffix}`, type: "Follow", actor, object });

async function signed(
  body: string,
  options: { by?: Peer; at?: Date; contentType?: string; url?: string } = {},
): Promise<Request> {
  const by = options.by ?? peer;
  const req = new Request(options.url ?? inbox, {
    method: "POST",
    headers: { "Content-Type": options.contentType ?? AS2 },
    body,
  });
  return await signRequest(req, by.privateKey, by.keyId, {
    currentTime: options.at ? toInstant(options.at) : undefined,
  });
}

/** Sends and returns status and the (short) reason text. */
async function send(req: Request): Promise<{ status: number; text: string }> {
  const res = await fetch(req);
  return { status: res.status, text: await res.text() };
}

function expectRefused(res: { status: number; text: string }) {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.text.length).toBeLessThan(500);
  expect(res.text).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/);
}

beforeAll(async () => {
  content = await makeContent("loa-hard-inbox-");
  await writeArticle(content, "bai-mot", [
    "title: Bài một",
    "published: 2021-03-18T15:00:00+07:00",
  ]);
  server = await startServer({ contentDir: content, entry: ENTRY });
  [peer, other] = await Promise.all([startPeer(), startPeer()]);
  actorUrl = `${server.origin}/users/cualo`;
  inbox = `${actorUrl}/inbox`;
  // One accepted follow, so that there is state to protect (and one to replay).
  const follow = await signed(followBody("kept"));
  accepted = {
    id: `${peer.origin}/follows/kept`,
    body: followBody("kept"),
    headers: follow.headers,
  };
  expect((await fetch(follow)).status).toBe(202);
  await peer.waitFor((r) => r.activity instanceof Accept);
  await eventually(async () => (await followerCount(actorUrl)) === 1, "the follower stored");
  await eventually(async () => readState(server.dataDir).ledger.length === 1, "the ledger entry");
  before = readState(server.dataDir);
});

afterAll(async () => {
  await Promise.all([peer?.close(), other?.close()]);
  await server?.cleanup();
  await rm(content, { recursive: true, force: true });
});

describe("refused with a 4xx and changing nothing", () => {
  it("malformed JSON, signed or not", async () => {
    for (const body of ["{", '{"type":', "\u0000\u0001", "not json at all", "[1,2"]) {
      expectRefused(
        await send(new Request(inbox, { method: "POST", headers: { "Content-Type": AS2 }, body })),
      );
      expectRefused(await send(await signed(body)));
    }
  });

  it("JSON that is not an activity", async () => {
    const bodies = [
      "null",
      "42",
      '"Follow"',
      "[]",
      "{}",
      activity({ type: "Note", content: "hi" }),
      activity({ id: `${peer.origin}/x`, type: "Follow" }),
      activity({ id: `${peer.origin}/y`, type: 42, actor: peer.actorId.href }),
      JSON.stringify({ type: "Follow", actor: { "@id": "javascript:alert(1)" }, object: actorUrl }),
    ];
    for (const body of bodies) {
      const res = await send(await signed(body));
      expectRefused(res);
    }
  });

  it("a wrong content type", async () => {
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "image/png"]) {
      expectRefused(await send(await signed(followBody(`ct-${contentType}`), { contentType })));
    }
  });

  it("a missing signature, and a forged one", async () => {
    const plain = new Request(inbox, {
      method: "POST",
      headers: { "Content-Type": AS2 },
      body: followBody("unsigned"),
    });
    const res = await send(plain);
    expect(res.status).toBe(401);
    const good = await signed(followBody("forged"));
    const headers = new Headers(good.headers);
    const sig = String(headers.get("Signature"));
    headers.set("Signature", sig.replace(/signature="([^"]{8})/, 'signature="AAAAAAAA'));
    expect(
      (await send(new Request(inbox, { method: "POST", headers, body: followBody("forged") })))
        .status,
    ).toBe(401);
  });

  it("a valid signature by another actor than the activity's actor", async () => {
    const res = await send(await signed(followBody("impostor"), { by: other }));
    expect(res.status).toBe(401);
  });

  it("a Date outside the accepted window (an hour), past or future", async () => {
    for (const offset of [-2 * 3600_000, 2 * 3600_000]) {
      const at = new Date(Date.now() + offset);
      expect((await send(await signed(followBody(`stale${offset}`), { at }))).status).toBe(401);
    }
  });

  it("bodies over INBOX_MAX_BYTES (1 MiB) get 413, with or without Content-Length", async () => {
    for (const url of [inbox, `${server.origin}/inbox`]) {
      expect(await bigPost(url, 1024 * 1024 + 10, false)).toEqual({
        status: 413,
        text: "Request body too large",
      });
      expect(await bigPost(url, 1024 * 1024 + 64 * 1024, true)).toEqual({
        status: 413,
        text: "Request body too large",
      });
    }
  });

  it("followers and ledger are exactly as before", () => {
    expect(readState(server.dataDir)).toEqual(before);
  });
});

describe("accepted and ignored (2xx, nothing changes): ActivityPub convention", () => {
  it("a replay of an accepted Follow (same signature, inside the window)", async () => {
    const res = await fetch(inbox, {
      method: "POST",
      headers: accepted.headers,
      body: accepted.body,
    });
    expect(res.status).toBe(202);
    // Fedify remembers processed activity ids: the handler does not run again.
    expect(readState(server.dataDir)).toEqual(before);
  });

  it("a validly signed Follow of someone else", async () => {
    const res = await send(
      await signed(followBody("elsewhere", "https://elsewhere.example/users/x")),
    );
    expect(res.status).toBe(202);
  });

  it("an Undo of a follow someone else made", async () => {
    const undo = activity({
      id: `${other.origin}/undos/1`,
      type: "Undo",
      actor: other.actorId.href,
      object: { id: accepted.id, type: "Follow", actor: peer.actorId.href, object: actorUrl },
    });
    expect((await send(await signed(undo, { by: other }))).status).toBe(202);
    const byId = activity({
      id: `${other.origin}/undos/2`,
      type: "Undo",
      actor: other.actorId.href,
      object: accepted.id,
    });
    expect((await send(await signed(byId, { by: other }))).status).toBe(202);
  });

  it("leaves followers and ledger exactly as before", async () => {
    // Inbox work is queued: give it time to run, then compare.
    await new Promise((r) => setTimeout(r, 1500));
    expect(readState(server.dataDir)).toEqual(before);
    expect(await followerCount(actorUrl)).toBe(1);
  });
});

/**
 * POSTs `size` bytes, with Content-Length or chunked (no length), and stops
 * writing as soon as an answer comes. A raw client, because the server answers
 * 413 and closes while the body may still be going out. Status 0: no answer.
 */
function bigPost(
  url: string,
  size: number,
  chunked: boolean,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    let answered = false;
    // A fresh connection each: the server closes one whose body it did not read.
    const req = httpRequest(url, {
      method: "POST",
      agent: false,
      headers: chunked
        ? { "Content-Type": AS2, "Transfer-Encoding": "chunked" }
        : { "Content-Type": AS2, "Content-Length": String(size) },
    });
    req.on("response", (res) => {
      answered = true;
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        text += d;
      });
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, text });
        req.destroy();
      });
    });
    req.on("error", () => {});
    req.on("close", () => {
      if (!answered) resolve({ status: 0, text: "" });
    });
    const chunk = Buffer.alloc(16 * 1024, "a");
    let sent = 0;
    const pump = () => {
      while (sent < size && !answered && !req.destroyed) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(chunk.subarray(0, n))) return void req.once("drain", pump);
      }
      if (!answered && !req.destroyed) req.end();
    };
    // With a Content-Length over the limit the answer needs no body: give it a moment first.
    req.flushHeaders();
    setTimeout(pump, chunked ? 0 : 200);
  });
}
