/**
 * Property-based fuzzing of the inbox of a running server: generated and
 * mutated requests (garbage and near-valid JSON, activities of every shape,
 * signed requests with one bit of them broken, wrong content types, replays)
 * in parallel over keep-alive. Afterwards: no 5xx, the process alive, the
 * followers and the ledger exactly as before.
 *
 * 10,000 requests by default (about 12 s on 2 cores); `LOA_FUZZ_RUNS` changes
 * that (e.g. lower on a loaded machine), `LOA_FUZZ_SEED` replays a run.
 */
import { rm } from "node:fs/promises";
import { signRequest } from "@fedify/fedify";
import { Accept } from "@fedify/fedify/vocab";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AS2, ENTRY, eventually, followerCount, writeArticle } from "../federation/e2e.ts";
import { type Peer, startPeer } from "../helpers/peer.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { makeContent, readState } from "./helpers.ts";

// The fuzz knobs are test settings, not server settings: read here, not in src/config.ts.
const RUNS = Number(process.env.LOA_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.LOA_FUZZ_SEED ?? Date.now() % 2 ** 31);
const BATCH = 50;

let content: string;
let server: TestServer;
let peer: Peer;
let stranger: Peer;
let actorUrl: string;
/** Validly signed requests by a non-follower, as [url, headers, body]. */
let signedBases: { path: string; headers: [string, string][]; body: string }[] = [];

interface FuzzRequest {
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

const ctx = "https://www.w3.org/ns/activitystreams";

beforeAll(async () => {
  content = await makeContent("loa-hard-fuzz-");
  await writeArticle(content, "bai-mot", [
    "title: Bài một",
    "published: 2021-03-18T15:00:00+07:00",
  ]);
  server = await startServer({ contentDir: content, entry: ENTRY });
  [peer, stranger] = await Promise.all([startPeer(), startPeer()]);
  actorUrl = `${server.origin}/users/cualo`;
  await peer.follow(actorUrl);
  await peer.waitFor((r) => r.activity instanceof Accept);
  await eventually(async () => (await followerCount(actorUrl)) === 1, "the follower stored");
  await eventually(async () => readState(server.dataDir).ledger.length === 1, "the ledger entry");
  // Valid activities from a stranger that must change nothing (and their replays).
  const s = stranger.actorId.href;
  const bodies = [
    { type: "Like", actor: s, object: `${server.origin}/articles/bai-mot` },
    { type: "Announce", actor: s, object: `${server.origin}/articles/bai-mot` },
    { type: "Undo", actor: s, object: `${stranger.origin}/follows/never` },
    {
      type: "Undo",
      actor: s,
      object: {
        type: "Follow",
        id: `${peer.origin}/follows/1`,
        actor: peer.actorId.href,
        object: actorUrl,
      },
    },
    { type: "Delete", actor: s, object: peer.actorId.href },
    { type: "Follow", actor: s, object: peer.actorId.href },
    {
      type: "Create",
      actor: s,
      object: { type: "Note", id: `${stranger.origin}/n/1`, content: "<script>x</script>" },
    },
  ];
  signedBases = await Promise.all(
    bodies.map(async (b, i) => {
      const body = JSON.stringify({ "@context": ctx, id: `${stranger.origin}/a/${i}`, ...b });
      const req = new Request(`${actorUrl}/inbox`, {
        method: "POST",
        headers: { "Content-Type": AS2 },
        body,
      });
      const signed = await signRequest(req, stranger.privateKey, stranger.keyId);
      return { path: "/users/cualo/inbox", headers: [...signed.headers.entries()], body };
    }),
  );
});

afterAll(async () => {
  await Promise.all([peer?.close(), stranger?.close()]);
  await server?.cleanup();
  await rm(content, { recursive: true, force: true });
});

function arbitraries() {
  const url = fc.constantFrom(
    actorUrl,
    peer.actorId.href,
    stranger.actorId.href,
    `${server.origin}/articles/bai-mot`,
    `${server.origin}/users/cualo/followers`,
    "http://127.0.0.1:1/closed",
    "javascript:alert(1)",
    "urn:uuid:1",
    "",
    "http://[::1]:1/",
  );
  const text = fc.string({ unit: "binary", maxLength: 40 });
  const reference = fc.oneof(
    url,
    fc.record({ id: url, type: fc.constantFrom("Person", "Follow", "Note") }),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const activity = fc.record(
    {
      "@context": fc.oneof(
        fc.constant(ctx),
        fc.constant([ctx, "https://w3id.org/security/v1"]),
        fc.jsonValue({ maxDepth: 1 }),
      ),
      id: fc.oneof(url, text),
      type: fc.oneof(
        fc.constantFrom(
          "Follow",
          "Undo",
          "Delete",
          "Create",
          "Update",
          "Accept",
          "Reject",
          "Like",
          "Announce",
          "Move",
          "Block",
          "Flag",
          "Note",
        ),
        text,
        fc.array(fc.constantFrom("Follow", "Undo"), { maxLength: 2 }),
      ),
      actor: reference,
      object: fc.oneof(
        reference,
        fc.record({ type: fc.constant("Follow"), id: url, actor: url, object: url }),
      ),
      to: fc.oneof(url, fc.array(url, { maxLength: 3 })),
      signature: fc.record({
        type: fc.constant("RsaSignature2017"),
        creator: url,
        signatureValue: text,
      }),
      proof: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  );
  const contentType = fc.oneof(
    { arbitrary: fc.constant(AS2), weight: 8 },
    fc.constantFrom(
      AS2,
      "application/ld+json",
      "application/json",
      "text/plain",
      "application/activity+json; charset=utf-8",
      "multipart/form-data",
    ),
    fc.string({ unit: "grapheme-ascii", maxLength: 30 }),
  );
  const garbageSignature = fc.oneof(
    fc.string({ unit: "grapheme-ascii", maxLength: 80 }),
    url.map(
      (u) => `keyId="${u}#main-key",headers="(request-target) host date digest",signature="AAAA"`,
    ),
    fc.constant(
      `keyId="${stranger.keyId.href}",algorithm="rsa-sha256",headers="date",signature="!!"`,
    ),
  );
  const plain: fc.Arbitrary<FuzzRequest> = fc.record({
    path: fc.constantFrom(
      "/inbox",
      "/users/cualo/inbox",
      "/users/nobody/inbox",
      "/users/cualo/inbox?x=1",
    ),
    headers: fc.record(
      {
        "Content-Type": contentType,
        Signature: garbageSignature,
        Date: fc.constantFrom(new Date().toUTCString(), "yesterday", ""),
      },
      { requiredKeys: ["Content-Type"] },
    ),
    body: fc.oneof(
      activity.map((a) => JSON.stringify(a)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }),
    ),
  });
  // A validly signed request with one thing broken (or none: a replay, which must change nothing).
  const mutated: fc.Arbitrary<FuzzRequest> = fc
    .record({
      base: fc.nat({ max: signedBases.length - 1 }),
      kind: fc.constantFrom("replay", "body", "signature", "date", "digest", "drop"),
      at: fc.nat(),
      ch: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }),
    })
    .map(({ base, kind, at, ch }) => {
      const b = signedBases[base] as (typeof signedBases)[number];
      const headers = Object.fromEntries(b.headers);
      let body = b.body;
      const i = at % Math.max(1, body.length);
      if (kind === "body") body = body.slice(0, i) + ch + body.slice(i + 1);
      if (kind === "signature" && headers.signature) {
        headers.signature = headers.signature.replace(
          /signature="(.)/,
          (_m, c: string) => `signature="${c === "A" ? "B" : "A"}`,
        );
      }
      if (kind === "date") headers.date = new Date(Date.now() - 3 * 3600_000).toUTCString();
      if (kind === "digest")
        headers.digest = "SHA-256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
      if (kind === "drop") delete headers[["signature", "digest", "date"][at % 3] as string];
      delete headers["content-length"];
      return { path: b.path, headers, body };
    });
  return fc.oneof({ arbitrary: plain, weight: 3 }, { arbitrary: mutated, weight: 1 });
}

async function send(r: FuzzRequest): Promise<number> {
  try {
    const res = await fetch(`${server.origin}${r.path}`, {
      method: "POST",
      headers: r.headers,
      body: r.body,
    });
    await res.arrayBuffer();
    return res.status;
  } catch (error) {
    // A header value fetch itself refuses never reaches the server: not a server failure.
    if (error instanceof TypeError && !/fetch failed/.test(error.message)) return 0;
    throw error;
  }
}

it(`survives ${RUNS} fuzzed inbox requests (seed ${SEED}) without a 5xx or a state change`, async () => {
  const before = readState(server.dataDir);
  const statuses = new Map<number, number>();
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(arbitraries(), { minLength: BATCH, maxLength: BATCH }),
      async (batch) => {
        const got = await Promise.all(batch.map(send));
        sent += got.length;
        for (const s of got) statuses.set(s, (statuses.get(s) ?? 0) + 1);
        const failed = batch.filter((_r, i) => (got[i] ?? 0) >= 500);
        return failed.length === 0;
      },
    ),
    { numRuns: Math.ceil(RUNS / BATCH), seed: SEED, endOnFailure: true },
  );
  console.info(`fuzz: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  expect(sent).toBeGreaterThanOrEqual(RUNS);
  // Alive and serving.
  expect((await fetch(`${server.origin}/.well-known/nodeinfo`)).status).toBe(200);
  // Queued inbox work (the valid strangers' activities) has run by now; nothing changed.
  await new Promise((r) => setTimeout(r, 1000));
  expect(readState(server.dataDir)).toEqual(before);
  expect(server.output()).not.toMatch(/Unhandled error/);
}, 120_000);

describe("deep nesting", () => {
  /** `inner` wrapped `depth` times in arrays and one-key objects, as `pattern` says. */
  function wrap(inner: string, depth: number, pattern: readonly boolean[]): string {
    let open = "";
    let close = "";
    for (let i = 0; i < depth; i++) {
      const asArray = pattern[i % pattern.length] ?? true;
      open += asArray ? "[" : '{"a":';
      close = (asArray ? "]" : "}") + close;
    }
    return `${open}${inner}${close}`;
  }

  it("answers nested activities (65 to 100,000 deep, signed or not) without a 5xx or a state change", async () => {
    const before = readState(server.dataDir);
    const s = stranger.actorId.href;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          field: fc.constantFrom("actor", "object", "to", "tag", "@context", "content", "type"),
          depth: fc.constantFrom(65, 200, 5_000, 100_000),
          pattern: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
          kind: fc.constantFrom("Follow", "Create", "Like", "Announce", "Update"),
          sign: fc.boolean(),
        }),
        async ({ field, depth, pattern, kind, sign }) => {
          const fields: Record<string, string> = {
            "@context": JSON.stringify(ctx),
            id: JSON.stringify(`${stranger.origin}/deep/${crypto.randomUUID()}`),
            type: JSON.stringify(kind),
            actor: JSON.stringify(s),
            object: JSON.stringify(`${server.origin}/articles/bai-mot`),
            to: JSON.stringify("https://www.w3.org/ns/activitystreams#Public"),
            tag: "[]",
            content: '"x"',
          };
          fields[field] = wrap(fields[field] as string, depth, pattern);
          const body = `{${Object.entries(fields)
            .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
            .join(",")}}`;
          let req = new Request(`${actorUrl}/inbox`, {
            method: "POST",
            headers: { "Content-Type": AS2 },
            body,
          });
          if (sign) req = await signRequest(req, stranger.privateKey, stranger.keyId);
          const res = await fetch(req);
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          return res.status < 500;
        },
      ),
      { numRuns: 200, seed: SEED, endOnFailure: true },
    );
    console.info(`deep nesting: statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(readState(server.dataDir)).toEqual(before);
    expect(server.output()).not.toMatch(/Unhandled error|RangeError/);
  }, 120_000);
});
