/**
 * What a hostile (or merely odd) peer can make of interactions, sent signed
 * from real peers over loopback: amplification through `tag` URLs, rewriting
 * an approved reply, inflating counts, interactions about nothing, and
 * walking around a domain block by subdomain or port. Each asserts the answer
 * the peer gets, what the town stored, and that the server still answers.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  Create,
  Like,
  Mention,
  Note,
  PUBLIC_COLLECTION,
  QuoteRequest,
  Update,
} from "@fedify/fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FETCHES_PER_ACTIVITY } from "../../src/federation/fetch-budget.ts";
import { toInstant } from "../../src/publish/temporal.ts";
import type { Interaction } from "../../src/storage/interactions.ts";
import { openStorage, type Storage } from "../../src/storage/open.ts";
import { ENTRY, eventually, getJson, SITE_YML, writeArticle } from "../federation/e2e.ts";
import { type Peer, startPeer } from "../helpers/peer.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { type Receiver, startReceiver, until } from "./helpers.ts";

const SLUG = "mua-lu";
const NAMES = resolve(import.meta.dirname, "../helpers/localhost-names.ts");
let base: string;
let server: TestServer;
let alice: Peer;
let storage: Storage;
let counter: Receiver;
let counted = 0;
let actorUrl: string;
let articleUrl: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "loa-hostile-interactions-"));
  await mkdir(join(base, "articles"), { recursive: true });
  await writeFile(join(base, "site.yml"), SITE_YML);
  await writeArticle(base, SLUG, ["title: Mùa lũ", "published: 2021-03-18T15:00:00+07:00"]);
  server = await startServer({
    contentDir: base,
    entry: ENTRY,
    // Peers on subdomains of `localhost` (a blocked domain's subdomain).
    env: { NODE_OPTIONS: `--import=${NAMES}`, LOG_LEVEL: process.env.DEBUG_LOG ?? "warning" },
  });
  alice = await startPeer();
  counter = await startReceiver();
  counter.respond = (_req, res) => {
    counted++;
    res.writeHead(404).end();
  };
  actorUrl = `${server.origin}/users/cualo`;
  articleUrl = `${server.origin}/articles/${SLUG}`;
  storage = await openStorage({ dataDir: server.dataDir, databaseUrl: undefined });
});

afterAll(async () => {
  await storage?.close();
  await Promise.all([alice?.close(), counter?.close()]);
  await server?.cleanup();
  await rm(base, { recursive: true, force: true });
});

async function stored(id: URL | null | undefined): Promise<Interaction | null> {
  return id ? await storage.store.getInteraction(id.href) : null;
}

async function healthy(): Promise<void> {
  const res = await fetch(`${server.origin}/healthz`);
  expect(res.status).toBe(200);
}

function note(peer: Peer, text: string, values: ConstructorParameters<typeof Note>[0] = {}): Note {
  return new Note({
    id: peer.newId("notes"),
    attribution: peer.actorId,
    replyTarget: new URL(articleUrl),
    to: PUBLIC_COLLECTION,
    content: `<p>${text}</p>`,
    published: toInstant(new Date()),
    ...values,
  });
}

function create(peer: Peer, object: Note): Create {
  return new Create({ id: peer.newId("creates"), actor: peer.actorId, object });
}

/** A reply from `peer` after the others it sent, stored once they were handled. */
async function sentinel(peer: Peer): Promise<void> {
  const later = note(peer, `Sau cùng ${Date.now()}`);
  await peer.send(actorUrl, create(peer, later));
  await eventually(async () => (await stored(later.id)) !== null, "a later reply");
}

async function likes(): Promise<number> {
  const json = await getJson(articleUrl);
  return Number((json.likes as { totalItems: number }).totalItems);
}

describe("bounded work per activity", () => {
  it("reads a Note's 2,000 tag URLs without fetching them, and still finds the Mention among them", async () => {
    const urls = Array.from({ length: 2000 }, (_, i) => new URL(`${counter.origin}/tags/${i}`));
    const mention = new Mention({ href: new URL(actorUrl), name: "@cualo" });
    const hostile = note(alice, "Gửi @cualo", {
      replyTarget: null,
      tags: [...urls.slice(0, 50), mention, ...urls.slice(50)],
    });
    await alice.send(actorUrl, create(alice, hostile));
    // Generous: the peer signs, and Fedify parses, a 2,000-tag document on a busy machine.
    await until(async () => (await stored(hostile.id)) !== null, "the mention", 60_000);
    expect((await stored(hostile.id))?.kind).toBe("mention");
    await sentinel(alice);
    expect(counted).toBeLessThanOrEqual(FETCHES_PER_ACTIVITY);
    await healthy();
  });
});

describe("an approved reply rewritten", () => {
  it("goes back to moderation when its content, thread or audience changes; unchanged, it stays", async () => {
    const other = note(alice, "Một phản hồi khác");
    await alice.send(actorUrl, create(alice, other));
    await eventually(async () => (await stored(other.id)) !== null, "the other reply");
    // Direct at first: to the town only.
    const first = note(alice, "Cảm ơn", { to: new URL(actorUrl) });
    const firstCreate = create(alice, first);
    await alice.send(actorUrl, firstCreate);
    await eventually(async () => (await stored(first.id)) !== null, "the reply");
    expect((await stored(first.id))?.visibility).toBe("direct");

    // Each rewrite on top of the one before.
    const content = first.clone({ content: "<p>Quảng cáo</p>", updated: toInstant(new Date()) });
    const thread = content.clone({ replyTarget: other.id });
    const audience = thread.clone({ to: PUBLIC_COLLECTION });
    const rewrites: [string, Note][] = [
      ["content", content],
      ["thread", thread],
      ["audience", audience],
    ];
    for (const [what, rewritten] of rewrites) {
      await storage.store.setModeration(first.id?.href ?? "", "approved");
      const activity =
        what === "audience"
          ? // The same Create again, its Note now public.
            new Create({ id: alice.newId("creates"), actor: alice.actorId, object: rewritten })
          : new Update({ id: alice.newId("updates"), actor: alice.actorId, object: rewritten });
      await alice.send(actorUrl, activity);
      await eventually(
        async () => (await stored(first.id))?.state === "pending",
        `the reply back in moderation after its ${what} changed`,
      );
    }
    const now = await stored(first.id);
    expect(now).toMatchObject({ visibility: "public", inReplyTo: other.id?.href, slug: SLUG });
    expect(now?.html).toContain("Quảng cáo");

    // Approved again, then delivered again unchanged: the decision stands.
    await storage.store.setModeration(first.id?.href ?? "", "approved");
    await alice.send(
      actorUrl,
      new Create({ id: alice.newId("creates"), actor: alice.actorId, object: rewrites[2]?.[1] }),
    );
    await sentinel(alice);
    expect((await stored(first.id))?.state).toBe("approved");
    await healthy();
  });
});

describe("counts and what is stored", () => {
  it("counts two Likes of one article by one actor once", async () => {
    const before = await likes();
    const one = new Like({
      id: alice.newId("likes"),
      actor: alice.actorId,
      object: new URL(articleUrl),
    });
    const two = new Like({
      id: alice.newId("likes"),
      actor: alice.actorId,
      object: new URL(articleUrl),
    });
    await alice.send(actorUrl, one);
    await alice.send(actorUrl, two);
    await eventually(async () => (await likes()) === before + 1, "the first like");
    await sentinel(alice);
    expect(await likes()).toBe(before + 1);
    expect([await stored(one.id), await stored(two.id)].filter((i) => i !== null)).toHaveLength(1);
    await healthy();
  });

  it("refuses a Like of, and a reply to, an article that does not exist", async () => {
    const missing = new URL(`${server.origin}/articles/khong-co`);
    const like = new Like({ id: alice.newId("likes"), actor: alice.actorId, object: missing });
    const reply = note(alice, "Bài nào?", { replyTarget: missing });
    await alice.send(actorUrl, like);
    await alice.send(actorUrl, create(alice, reply));
    await sentinel(alice);
    expect(await stored(like.id)).toBeNull();
    expect(await stored(reply.id)).toBeNull();
    expect((await storage.store.listInteractions({ slug: "khong-co", limit: 10 })).items).toEqual(
      [],
    );
    await healthy();
  });
});

describe("a blocked domain", () => {
  it("covers its subdomains and every port: nothing stored, Follow and quote request refused", async () => {
    // The block names another port than any peer's: it covers every port.
    await storage.store.addBlock({
      kind: "domain",
      value: "blocked.localhost:1",
      createdAt: new Date(),
      by: null,
    });
    const peers = await Promise.all([
      startPeer({ host: "blocked.localhost" }),
      startPeer({ host: "a.b.blocked.localhost" }),
    ]);
    try {
      for (const peer of peers) {
        // Refused: not stored, and nothing is delivered to a blocked domain (not even
        // the Reject an actor block gets), so no Accept arrives.
        await peer.follow(actorUrl);
        const reply = note(peer, "Bị chặn");
        const like = new Like({
          id: peer.newId("likes"),
          actor: peer.actorId,
          object: new URL(articleUrl),
        });
        const quote = note(peer, "Trích", { replyTarget: null, quote: new URL(articleUrl) });
        const request = new QuoteRequest({
          id: peer.newId("quote-requests"),
          actor: peer.actorId,
          object: new URL(articleUrl),
          instrument: quote,
        });
        await peer.send(actorUrl, create(peer, reply));
        await peer.send(actorUrl, like);
        await peer.send(actorUrl, request);
        await sentinel(alice);
        await new Promise((r) => setTimeout(r, 500));
        expect(await storage.store.getFollower(peer.actorId.href)).toBeNull();
        expect(await stored(reply.id)).toBeNull();
        expect(await stored(like.id)).toBeNull();
        expect(peer.received.filter((r) => r.json.type === "Accept")).toEqual([]);
        // No authorization was kept for the quote either.
        const grant = createHash("sha256")
          .update(`${quote.id?.href}\n${articleUrl}`)
          .digest("hex")
          .slice(0, 32);
        const res = await fetch(`${server.origin}/quote-authorizations/${grant}`, {
          headers: { Accept: "application/activity+json" },
        });
        expect(res.status).toBe(404);
      }
      // Its neighbour is not covered: a block of blocked.localhost is not one of localhost.
      expect(await storage.store.isBlocked(alice.actorId.href)).toBe(false);
      await healthy();
    } finally {
      await Promise.all(peers.map((p) => p.close()));
    }
  });
});
