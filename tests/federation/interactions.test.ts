/**
 * Replies, mentions, likes and boosts from real peers over loopback: what the
 * town stores (read from its own store, as the newsroom shows it), what its
 * Note and article page then show, and what a peer cannot do to another's.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LanguageString } from "@fedify/fedify";
import {
  Announce,
  Create,
  Delete,
  EmojiReact,
  Like,
  Listen,
  Mention,
  Note,
  PUBLIC_COLLECTION,
  Tombstone,
  Undo,
  Update,
} from "@fedify/fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toInstant } from "../../src/publish/temporal.ts";
import type { Interaction } from "../../src/storage/interactions.ts";
import { openStorage, type Storage } from "../../src/storage/open.ts";
import { type Peer, startPeer } from "../helpers/peer.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { AS2, ENTRY, eventually, getJson, SITE_YML, writeArticle } from "./e2e.ts";

const SLUG = "le-hoi-bien";
let base: string;
let server: TestServer;
let alice: Peer;
let bob: Peer;
let storage: Storage;
let actorUrl: string;
let articleUrl: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "loa-interactions-"));
  await mkdir(join(base, "articles"), { recursive: true });
  await writeFile(join(base, "site.yml"), SITE_YML);
  await writeArticle(base, SLUG, [
    "title: Lễ hội biển Cửa Lò",
    "published: 2021-03-18T15:00:00+07:00",
  ]);
  server = await startServer({ contentDir: base, entry: ENTRY });
  [alice, bob] = await Promise.all([startPeer(), startPeer()]);
  actorUrl = `${server.origin}/users/cualo`;
  articleUrl = `${server.origin}/articles/${SLUG}`;
  // The town's own store, opened beside the running server (SQLite in WAL mode).
  storage = await openStorage({ dataDir: server.dataDir, databaseUrl: undefined });
});

afterAll(async () => {
  await storage?.close();
  await Promise.all([alice?.close(), bob?.close()]);
  await server?.cleanup();
  await rm(base, { recursive: true, force: true });
});

function reply(
  peer: Peer,
  text: string,
  options: { inReplyTo?: string; followersOnly?: boolean; mention?: boolean } = {},
): Note {
  const html = `<p>${text}</p>`;
  return new Note({
    id: peer.newId("notes"),
    attribution: peer.actorId,
    replyTarget: options.mention ? null : new URL(options.inReplyTo ?? articleUrl),
    to: options.followersOnly ? peer.followersId : PUBLIC_COLLECTION,
    ccs: options.followersOnly ? [new URL(actorUrl)] : [peer.followersId],
    contents: [html, new LanguageString(html, "vi")],
    url: new URL(`${peer.origin}/@peer/${text.length}`),
    published: toInstant(new Date()),
    tags: options.mention ? [new Mention({ href: new URL(actorUrl), name: "@cualo" })] : [],
  });
}

function create(peer: Peer, note: Note): Create {
  return new Create({
    id: peer.newId("creates"),
    actor: peer.actorId,
    object: note,
    tos: note.toIds,
    ccs: note.ccIds,
  });
}

async function stored(id: URL | null): Promise<Interaction | null> {
  return id ? await storage.store.getInteraction(id.href) : null;
}

async function noteCounts(): Promise<{ likes: number; shares: number }> {
  const note = await getJson(articleUrl);
  return {
    likes: Number((note.likes as { totalItems: number }).totalItems),
    shares: Number((note.shares as { totalItems: number }).totalItems),
  };
}

describe("replies", () => {
  it("stores a public reply for moderation, sanitized, with its author; re-delivery changes nothing", async () => {
    const note = reply(
      alice,
      'Cảm ơn thị xã! <script>alert(1)</script><a href="javascript:x">x</a>',
    );
    const activity = create(alice, note);
    await alice.send(actorUrl, activity);
    await eventually(async () => (await stored(note.id)) !== null, "the reply to be stored");
    const row = await stored(note.id);
    expect(row).toMatchObject({
      kind: "reply",
      slug: SLUG,
      state: "pending",
      visibility: "public",
      language: "vi",
      author: {
        actorId: alice.actorId.href,
        name: "Test peer",
        handle: `@peer@${alice.actorId.host}`,
      },
    });
    expect(row?.html).toContain("Cảm ơn thị xã!");
    expect(row?.html).not.toMatch(/script|javascript:/);

    await storage.store.setModeration(note.id?.href ?? "", "approved");
    await alice.send(actorUrl, activity);
    // The same activity again: still one row, and the staff's decision stands.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await stored(note.id))?.state).toBe("approved");
    const page = await storage.store.listInteractions({ slug: SLUG, kind: "reply", limit: 50 });
    expect(page.items.filter((i) => i.id === note.id?.href)).toHaveLength(1);
  });

  it("keeps a reply to a reply in the article's thread, and a followers-only one from the public", async () => {
    const first = reply(alice, "Câu hỏi đầu");
    await alice.send(actorUrl, create(alice, first));
    await eventually(async () => (await stored(first.id)) !== null, "the first reply");
    const answer = reply(bob, "Trả lời câu hỏi", { inReplyTo: first.id?.href });
    await bob.send(actorUrl, create(bob, answer));
    await eventually(async () => (await stored(answer.id)) !== null, "the nested reply");
    expect((await stored(answer.id))?.slug).toBe(SLUG);

    const hidden = reply(alice, "Chỉ người theo dõi", { followersOnly: true });
    await alice.send(actorUrl, create(alice, hidden));
    await eventually(async () => (await stored(hidden.id)) !== null, "the followers-only reply");
    expect((await stored(hidden.id))?.visibility).toBe("followers");
    await storage.store.setModeration(hidden.id?.href ?? "", "approved");
    const replies = await getJson(`${articleUrl}/replies`);
    const first_ = await getJson(String(replies.first));
    const ids = [first_.items ?? first_.orderedItems]
      .flat()
      .map((i) => (typeof i === "string" ? i : String((i as { id: string }).id)));
    expect(ids).not.toContain(hidden.id?.href);
  });

  it("applies its author's edit and delete, and refuses another actor's", async () => {
    const note = reply(alice, "Bản đầu");
    await alice.send(actorUrl, create(alice, note));
    await eventually(async () => (await stored(note.id)) !== null, "the reply");

    // Bob claims Alice's reply: an Update and a Delete signed by Bob.
    const forged = note.clone({ contents: ["<p>Bob đã sửa</p>"], updated: toInstant(new Date()) });
    await bob.send(
      actorUrl,
      new Update({ id: bob.newId("updates"), actor: bob.actorId, object: forged }),
    );
    await bob.send(
      actorUrl,
      new Delete({
        id: bob.newId("deletes"),
        actor: bob.actorId,
        object: new Tombstone({ id: note.id }),
      }),
    );

    // Bob's attempts were handled once a later activity of his is: nothing changed.
    const sentinel = new Like({
      id: bob.newId("likes"),
      actor: bob.actorId,
      object: new URL(articleUrl),
    });
    await bob.send(actorUrl, sentinel);
    await eventually(async () => (await stored(sentinel.id)) !== null, "Bob's later like");
    await new Promise((r) => setTimeout(r, 500));
    expect((await stored(note.id))?.html).toContain("Bản đầu");

    const edited = note.clone({ contents: ["<p>Bản đã sửa</p>"], updated: toInstant(new Date()) });
    await alice.send(
      actorUrl,
      new Update({ id: alice.newId("updates"), actor: alice.actorId, object: edited }),
    );
    await eventually(
      async () => (await stored(note.id))?.html?.includes("Bản đã sửa") === true,
      "the edit",
    );
    expect((await stored(note.id))?.html).not.toContain("Bob");

    await alice.send(
      actorUrl,
      new Delete({
        id: alice.newId("deletes"),
        actor: alice.actorId,
        object: new Tombstone({ id: note.id }),
      }),
    );
    await eventually(async () => (await stored(note.id)) === null, "the delete");
  });

  it("keeps a mention of the town for the staff", async () => {
    const note = reply(alice, "Gửi @cualo: đường bị ngập", { mention: true });
    await alice.send(actorUrl, create(alice, note));
    await eventually(async () => (await stored(note.id)) !== null, "the mention");
    expect(await stored(note.id)).toMatchObject({ kind: "mention", slug: null });
  });
});

describe("likes and boosts", () => {
  it("counts likes, emoji reactions and boosts on the Note, and their undo", async () => {
    // One actor counts once per article: the reaction comes from someone who has not liked it.
    const carol = await startPeer();
    const before = await noteCounts();
    const like = new Like({
      id: alice.newId("likes"),
      actor: alice.actorId,
      object: new URL(articleUrl),
    });
    const react = new EmojiReact({
      id: carol.newId("reacts"),
      actor: carol.actorId,
      object: new URL(articleUrl),
      content: "❤️",
    });
    const boost = new Announce({
      id: alice.newId("announces"),
      actor: alice.actorId,
      object: new URL(articleUrl),
      to: PUBLIC_COLLECTION,
    });
    await alice.send(actorUrl, like);
    await carol.send(actorUrl, react);
    await alice.send(actorUrl, boost);
    await eventually(async () => {
      const now = await noteCounts();
      return now.likes === before.likes + 2 && now.shares === before.shares + 1;
    }, "two likes and a boost");

    // Bob cannot undo Alice's like: once a later activity of his is handled, both likes stand.
    await bob.send(
      actorUrl,
      new Undo({ id: bob.newId("undos"), actor: bob.actorId, object: like }),
    );
    const sentinel = reply(bob, "Sau khi hoàn tác", { mention: true });
    await bob.send(actorUrl, create(bob, sentinel));
    await eventually(async () => (await stored(sentinel.id)) !== null, "Bob's later mention");
    await new Promise((r) => setTimeout(r, 500));
    expect((await noteCounts()).likes).toBe(before.likes + 2);
    await alice.send(
      actorUrl,
      new Undo({ id: alice.newId("undos"), actor: alice.actorId, object: like }),
    );
    await alice.send(
      actorUrl,
      new Undo({ id: alice.newId("undos"), actor: alice.actorId, object: boost }),
    );
    await eventually(async () => {
      const now = await noteCounts();
      return now.likes === before.likes + 1 && now.shares === before.shares;
    }, "the undos");
    expect((await stored(react.id))?.kind).toBe("like");
    await carol.close();
  });
});

describe("what the public sees", () => {
  it("shows approved public replies under the article, with their counts", async () => {
    const note = reply(alice, "Ý kiến được duyệt");
    await alice.send(actorUrl, create(alice, note));
    await eventually(async () => (await stored(note.id)) !== null, "the reply");
    const pendingPage = await (await fetch(articleUrl)).text();
    expect(pendingPage).not.toContain("Ý kiến được duyệt");
    await storage.store.setModeration(note.id?.href ?? "", "approved");
    // Another process changed the store: the page shows it within the revalidation interval.
    await eventually(
      async () => (await (await fetch(articleUrl)).text()).includes("Ý kiến được duyệt"),
      "the approved reply on the page",
    );
    const html = await (await fetch(articleUrl)).text();
    expect(html).toContain(`@peer@${alice.actorId.host}`);
    expect(html).not.toMatch(/<script(?![^>]*type="application\/ld\+json")/);
  });
});

describe("refusals", () => {
  it("refuses an unsigned reply and stores nothing", async () => {
    const note = reply(alice, "Không có chữ ký");
    const body = JSON.stringify(await create(alice, note).toJsonLd());
    const res = await fetch(`${actorUrl}/inbox`, {
      method: "POST",
      headers: { "Content-Type": AS2 },
      body,
    });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 500));
    expect(await stored(note.id)).toBeNull();
  });

  it("refuses a reply over 64 KiB and stores nothing", async () => {
    const note = reply(alice, `Rất dài ${"ô".repeat(40_000)}`);
    await alice.send(actorUrl, create(alice, note));
    const sentinel = reply(alice, "Sau bài dài");
    await alice.send(actorUrl, create(alice, sentinel));
    await eventually(async () => (await stored(sentinel.id)) !== null, "the reply after it");
    await new Promise((r) => setTimeout(r, 500));
    expect(await stored(note.id)).toBeNull();
  });

  it("takes an activity type it does not handle quietly, without an error in the log", async () => {
    const activity = new Listen({
      id: alice.newId("listens"),
      actor: alice.actorId,
      object: new URL(articleUrl),
    });
    await alice.send(actorUrl, activity);
    const sentinel = reply(alice, "Sau Listen");
    await alice.send(actorUrl, create(alice, sentinel));
    await eventually(async () => (await stored(sentinel.id)) !== null, "the reply after it");
    expect(server.output()).not.toContain("Unsupported activity type");
    const errors = server
      .output()
      .split("\n")
      .filter((l) => /\bERR\b/.test(l));
    expect(errors.filter((l) => l.includes("listens/"))).toEqual([]);
  });

  it("takes nothing from a blocked actor and answers its Follow with a Reject", async () => {
    const carol = await startPeer();
    try {
      await storage.store.addBlock({
        kind: "actor",
        value: carol.actorId.href,
        createdAt: new Date(),
        by: null,
      });
      await carol.follow(actorUrl);
      await carol.waitFor((r) => r.json.type === "Reject");
      expect(await storage.store.getFollower(carol.actorId.href)).toBeNull();
      const note = reply(carol, "Bị chặn");
      await carol.send(actorUrl, create(carol, note));
      const sentinel = reply(alice, "Sau người bị chặn");
      await alice.send(actorUrl, create(alice, sentinel));
      await eventually(async () => (await stored(sentinel.id)) !== null, "a later reply");
      await new Promise((r) => setTimeout(r, 500));
      expect(await stored(note.id)).toBeNull();
    } finally {
      await carol.close();
    }
  });

  it("forgets everything from an actor whose account was deleted", async () => {
    const note = reply(bob, "Sắp bị xóa");
    await bob.send(actorUrl, create(bob, note));
    await eventually(async () => (await stored(note.id)) !== null, "Bob's reply");
    await bob.send(
      actorUrl,
      new Delete({ id: bob.newId("deletes"), actor: bob.actorId, object: bob.actorId }),
    );
    await eventually(
      async () =>
        (await storage.store.listInteractions({ actorId: bob.actorId.href, limit: 10 })).items
          .length === 0,
      "Bob's interactions to be removed",
    );
    expect(await stored(note.id)).toBeNull();
  });
});

describe("the site's replies policy", () => {
  /** Sends fresh replies from `peer` until one is stored in `state` (a policy change is picked up by the content watcher). */
  async function replyUntil(peer: Peer, state: Interaction["state"], text: string) {
    let last: Interaction | null = null;
    await eventually(async () => {
      const note = reply(peer, `${text} ${Date.now()}`);
      await peer.send(actorUrl, create(peer, note));
      await eventually(async () => (await stored(note.id)) !== null, "the reply");
      last = await stored(note.id);
      return last?.state === state;
    }, `a reply stored as ${state}`);
    return last as Interaction | null;
  }

  it("open: replies show at once; followers: a follower's reply shows at once, a stranger's waits", async () => {
    await writeFile(join(base, "site.yml"), `${SITE_YML}replies: open\n`);
    const open = await replyUntil(bob, "approved", "Mở");
    expect(open?.state).toBe("approved");

    await alice.follow(actorUrl);
    await alice.waitFor((r) => r.json.type === "Accept");
    await writeFile(join(base, "site.yml"), `${SITE_YML}replies: followers\n`);
    const stranger = await replyUntil(bob, "pending", "Người lạ");
    expect(stranger?.state).toBe("pending");
    const note = reply(alice, "Người theo dõi");
    await alice.send(actorUrl, create(alice, note));
    await eventually(async () => (await stored(note.id)) !== null, "the follower's reply");
    expect((await stored(note.id))?.state).toBe("approved");
  });
});
