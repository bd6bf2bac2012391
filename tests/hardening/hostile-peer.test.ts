/**
 * A hostile peer on loopback against the real server process: a key server
 * answering compression bombs (gzip once and twice, with a small and with no
 * Content-Length), a slow drip and an endless body; activities nested 100,000
 * deep. Each request gets a 4xx, the server stays up (`/healthz` answers) and
 * nothing stored changes.
 */
import { rm } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { signRequest } from "@fedify/fedify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AS2, ENTRY } from "../federation/e2e.ts";
import { type Peer, startPeer } from "../helpers/peer.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { makeContent, type Receiver, readState, startReceiver } from "./helpers.ts";

let content: string;
let peer: Peer;
let host: Receiver;
let server: TestServer;
let actorUrl: string;
let before: ReturnType<typeof readState>;
/** Key paths the hostile host was asked for, and what it saw of each request. */
const asked: { path: string; acceptEncoding: string }[] = [];
const endless = new Set<ServerResponse>();

/** 200 MiB of spaces around a JSON key, gzip'd: about 200 KB on the wire. */
const INFLATED = Number(process.env.BOMB_MB ?? 200) * 1024 * 1024;
let gzipOnce: Buffer;
let gzipTwice: Buffer;

function bomb(): Buffer {
  const body = Buffer.alloc(INFLATED, 0x20);
  body.write('{"id":"x","publicKeyPem":"', 0);
  body.write('"}', INFLATED - 2);
  return gzipSync(body, { level: 9 });
}

beforeAll(async () => {
  gzipOnce = bomb();
  gzipTwice = gzipSync(gzipOnce, { level: 9 });
  content = await makeContent("loa-hard-hostile-");
  peer = await startPeer();
  host = await startReceiver();
  host.respond = (req, res) => {
    const path = req.url ?? "";
    asked.push({ path, acceptEncoding: String(req.headers["accept-encoding"] ?? "") });
    const json = { "Content-Type": AS2 };
    if (path.startsWith("/gzip-close")) {
      // The shape that stopped the process: undici's parser paused when the peer closes.
      res.writeHead(200, {
        ...json,
        "Content-Encoding": "gzip",
        "Content-Length": gzipOnce.length,
        Connection: "close",
      });
      res.end(gzipOnce);
    } else if (path.startsWith("/gzip-length")) {
      res.writeHead(200, {
        ...json,
        "Content-Encoding": "gzip",
        "Content-Length": gzipOnce.length,
      });
      res.end(gzipOnce);
    } else if (path.startsWith("/gzip-chunked")) {
      res.writeHead(200, { ...json, "Content-Encoding": "gzip" });
      res.end(gzipOnce);
    } else if (path.startsWith("/gzip2-length")) {
      res.writeHead(200, {
        ...json,
        "Content-Encoding": "gzip, gzip",
        "Content-Length": gzipTwice.length,
      });
      res.end(gzipTwice);
    } else if (path.startsWith("/gzip2-chunked")) {
      res.writeHead(200, { ...json, "Content-Encoding": "gzip, gzip" });
      res.end(gzipTwice);
    } else if (path.startsWith("/drip")) {
      // One byte every 200 ms, for ever: each gap is shorter than any idle timeout.
      res.writeHead(200, json);
      res.write("{");
      const timer = setInterval(() => res.write(" "), 200);
      res.on("close", () => clearInterval(timer));
    } else if (path.startsWith("/endless")) {
      res.writeHead(200, json);
      res.write('{"id":"x","name":"');
      endless.add(res);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {}
      };
      res.on("drain", pump);
      res.on("close", () => endless.delete(res));
      pump();
    } else {
      res.writeHead(404).end();
    }
  };
  server = await startServer({
    contentDir: content,
    entry: ENTRY,
    env: { FETCH_TIMEOUT_MS: "3000", FETCH_RESPONSE_TIMEOUT_MS: "2000" },
  });
  actorUrl = `${server.origin}/users/cualo`;
  before = readState(server.dataDir);
}, 60_000);

afterAll(async () => {
  for (const res of endless) res.destroy();
  await server?.cleanup();
  await Promise.all([peer?.close(), host?.close()]);
  await rm(content, { recursive: true, force: true });
});

/** A Follow signed with the peer's real key, but naming a key on the hostile host. */
async function followWithKey(keyPath: string): Promise<number> {
  const body = JSON.stringify({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${host.origin}/follows/${keyPath.replace(/\W/g, "")}`,
    type: "Follow",
    actor: `${host.origin}${keyPath}`,
    object: actorUrl,
  });
  const req = new Request(`${actorUrl}/inbox`, {
    method: "POST",
    headers: { "Content-Type": AS2 },
    body,
  });
  const signed = await signRequest(
    req,
    peer.privateKey,
    new URL(`${host.origin}${keyPath}#main-key`),
  );
  const res = await fetch(signed);
  await res.body?.cancel();
  return res.status;
}

async function expectUpAndUnchanged(): Promise<void> {
  const health = await fetch(`${server.origin}/healthz`);
  await health.body?.cancel();
  expect(health.status, server.output()).toBe(200);
  expect(readState(server.dataDir)).toEqual(before);
}

describe("a key server answering with hostile bodies", () => {
  for (const path of [
    "/gzip-close",
    "/gzip-length",
    "/gzip-chunked",
    "/gzip2-length",
    "/gzip2-chunked",
  ]) {
    it(`${path}: a compression bomb is cut after decompression, and the server stays up`, async () => {
      const status = await followWithKey(path);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      expect(asked.some((a) => a.path.startsWith(path))).toBe(true);
      // Refused before inflating: the log names the body's encoding.
      expect(server.output()).toMatch(
        new RegExp(`Not reading \\S*${path}['"]?: its body is ['"]?gzip(, gzip)?['"]?-encoded`),
      );
      await expectUpAndUnchanged();
    }, 60_000);
  }

  it("asks for uncompressed documents", () => {
    const keys = asked.filter((a) => a.path.startsWith("/gzip"));
    expect(keys.length).toBeGreaterThan(0);
    for (const a of keys) expect(a.acceptEncoding).toBe("identity");
  });

  it("gives up on a slow drip and an endless body", async () => {
    for (const path of ["/drip", "/endless"]) {
      const status = await followWithKey(path);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    }
    await expectUpAndUnchanged();
    // The endless body was cut off: the hostile host sees its connection closed.
    const deadline = Date.now() + 20_000;
    while (endless.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(endless.size).toBe(0);
  }, 60_000);
});

/** `[[[…"id"…]]]` nested `depth` deep. */
function nested(depth: number, inner: string): string {
  return `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`;
}

describe("activities nested 100,000 deep", () => {
  const DEPTH = 100_000;

  async function post(body: string, sign: boolean): Promise<{ status: number; text: string }> {
    const req = new Request(`${actorUrl}/inbox`, {
      method: "POST",
      headers: { "Content-Type": AS2 },
      body,
    });
    const res = await fetch(sign ? await signRequest(req, peer.privateKey, peer.keyId) : req);
    return { status: res.status, text: await res.text() };
  }

  for (const field of ["actor", "object"]) {
    for (const sign of [false, true]) {
      it(`in ${field} (${sign ? "signed" : "unsigned"}): a 4xx, and the server stays up`, async () => {
        const fields: Record<string, string> = {
          actor: JSON.stringify(peer.actorId.href),
          object: JSON.stringify(actorUrl),
        };
        fields[field] = nested(
          DEPTH,
          JSON.stringify(field === "actor" ? peer.actorId.href : actorUrl),
        );
        const body = `{"@context":"https://www.w3.org/ns/activitystreams","id":"${peer.origin}/deep/${field}${sign}","type":"Follow","actor":${fields.actor},"object":${fields.object}}`;
        const res = await post(body, sign);
        expect(res.status, server.output().slice(-2000)).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.text.length).toBeLessThan(500);
        await expectUpAndUnchanged();
        expect(server.output()).not.toMatch(/RangeError|Unhandled error/);
      }, 60_000);
    }
  }
});
