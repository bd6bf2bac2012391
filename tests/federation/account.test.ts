/**
 * The account as a Mastodon user meets it, against the independent peer:
 * follow edge cases, re-publishing, ids that keep resolving, pinned articles,
 * FEP-8fcf followers synchronisation, quote requests and WebFinger.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Accept,
  Create,
  Delete,
  Follow,
  Note,
  QuoteRequest,
  Undo,
  Update,
} from "@fedify/fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Peer, type Received, startPeer } from "../helpers/peer.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { AS2, ENTRY, eventually, followerCount, getJson, SITE_YML, writeArticle } from "./e2e.ts";

let content: string;
let server: TestServer;
let peer: Peer;
let actorUrl: string;

const recently = () => new Date(Date.now() - 60_000).toISOString();
/** One list whether JSON-LD compaction left one item bare or not. */
const list = (value: unknown): unknown[] => (value == null ? [] : [value].flat());
const objectIdOf = (r: Received) =>
  r.activity.objectId?.href ?? (r.json.object as { id?: string } | undefined)?.id;
const sent = (type: typeof Create | typeof Update | typeof Delete, noteId: string) =>
  peer.received.filter((r) => r.activity instanceof type && objectIdOf(r) === noteId);
const isProfileUpdate = (r: Received) =>
  r.activity instanceof Update && r.activity.objectId?.href === actorUrl;

async function fetchAs2(url: string): Promise<Response> {
  return await fetch(url, { headers: { Accept: AS2 } });
}

beforeAll(async () => {
  content = await mkdtemp(join(tmpdir(), "loa-account-"));
  await mkdir(join(content, "articles"), { recursive: true });
  await writeFile(join(content, "site.yml"), SITE_YML);
  server = await startServer({ contentDir: content, entry: ENTRY, env: { LOG_LEVEL: "info" } });
  peer = await startPeer();
  actorUrl = `${server.origin}/users/cualo`;
});

afterAll(async () => {
  await peer?.close();
  await server?.cleanup();
  await rm(content, { recursive: true, force: true });
});

describe("following", () => {
  it("answers a Follow sent again with the same id with a second Accept, and logs it", async () => {
    const follow = await peer.follow(actorUrl);
    await peer.waitFor((r) => r.activity instanceof Accept);
    // The peer lost our Accept (or restarted) and asks again, same id.
    await peer.send(actorUrl, follow);
    const [first, second] = await peer.waitFor((r) => r.activity instanceof Accept, { count: 2 });
    expect(first?.activity.objectId?.href).toBe(follow.id?.href);
    expect(second?.activity.objectId?.href).toBe(follow.id?.href);
    expect(second?.activity.actorId?.href).toBe(actorUrl);
    expect(await followerCount(actorUrl)).toBe(1);
    await eventually(async () => /follows us \('?again'?\)/.test(server.output()), "the log line");
  });

  it("removes the follower on an Undo whose Follow id is not the stored one", async () => {
    // As Mastodon sends it when its Follow id drifted: same actor and target, other id.
    const drifted = new Follow({
      id: new URL(`${peer.origin}/follows/drifted`),
      actor: peer.actorId,
      object: new URL(actorUrl),
    });
    await peer.send(
      actorUrl,
      new Undo({
        id: new URL(`${peer.origin}/undos/drifted`),
        actor: peer.actorId,
        object: drifted,
      }),
    );
    await eventually(async () => (await followerCount(actorUrl)) === 0, "no followers");
    expect(await followerCount(actorUrl)).toBe(0);

    await peer.follow(actorUrl);
    await peer.waitFor((r) => r.activity instanceof Accept, { count: 3 });
    await eventually(async () => (await followerCount(actorUrl)) === 1, "following again");
    expect(await followerCount(actorUrl)).toBe(1);
  });
});

describe("pinned articles and followers synchronisation", () => {
  const noteUrl = () => `${server.origin}/articles/khan-cap`;
  const lines = ["title: Số điện thoại khẩn cấp", `published: ${recently()}`, "tags: [Khẩn cấp]"];

  it("lists a pinned article in `featured`, announcing the profile, not an edit", async () => {
    const profileUpdates = peer.received.filter(isProfileUpdate).length;
    await writeArticle(content, "khan-cap", [...lines, "pinned: true"]);
    await peer.waitFor((r) => r.activity instanceof Create && objectIdOf(r) === noteUrl());
    const actor = await getJson(actorUrl);
    const featured = await getJson(String(actor.featured));
    expect(featured).toMatchObject({ type: "OrderedCollection", totalItems: 1 });
    const [item] = list(featured.orderedItems) as { id: string; type: string; url: string }[];
    expect(item).toMatchObject({ id: noteUrl(), type: "Note", url: noteUrl() });
    await peer.waitFor(isProfileUpdate, { count: profileUpdates + 1 });

    const tags = await getJson(String(actor.featuredTags));
    expect(list(tags.orderedItems)).toEqual([
      expect.objectContaining({ type: "Hashtag", name: "#KhẩnCấp" }),
    ]);
  });

  it("drops it from `featured` when unpinned, without an Update of the Note", async () => {
    const profileUpdates = peer.received.filter(isProfileUpdate).length;
    await writeArticle(content, "khan-cap", lines);
    await peer.waitFor(isProfileUpdate, { count: profileUpdates + 1 });
    const featured = await getJson(String((await getJson(actorUrl)).featured));
    expect(featured.totalItems).toBe(0);
    expect(sent(Update, noteUrl())).toHaveLength(0);
  });

  it("sends Collection-Synchronization with the digest of the peer's followers", async () => {
    const [create] = sent(Create, noteUrl());
    const request = peer.inboxRequests.find((r) => r.body.includes(String(create?.activity.id)));
    const header = request?.headers.get("Collection-Synchronization") ?? "";
    const fields = Object.fromEntries(
      [...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    expect(fields.collectionId).toBe(`${actorUrl}/followers`);
    // FEP-8fcf: the XOR of the SHA-256 of each follower id on the receiving server.
    const expected = createHash("sha256").update(peer.actorId.href).digest("hex");
    expect(fields.digest).toBe(expected);
    // The partial collection it points to lists exactly those followers.
    const partial = await getJson(String(fields.url));
    const page = partial.first ? await getJson(String(partial.first)) : partial;
    expect(list(page.orderedItems ?? page.items)).toEqual([peer.actorId.href]);
    const elsewhere = new URL(`${actorUrl}/followers`);
    elsewhere.searchParams.set("base-url", "https://elsewhere.example/");
    const other = await getJson(elsewhere.href);
    const otherPage = other.first ? await getJson(String(other.first)) : other;
    expect(list(otherPage.orderedItems ?? otherPage.items)).toEqual([]);
  });
});

describe("re-publishing", () => {
  const bare = () => `${server.origin}/articles/tai-dang`;
  let republished: string | undefined;

  it("sends the article published again under a Note id Mastodon has not tombstoned", async () => {
    const lines = ["title: Thông báo tạm", `published: ${recently()}`];
    await writeArticle(content, "tai-dang", lines);
    await peer.waitFor((r) => r.activity instanceof Create && objectIdOf(r) === bare());
    await writeArticle(content, "tai-dang", lines, "Đã sửa.\n");
    await peer.waitFor((r) => r.activity instanceof Update && objectIdOf(r) === bare());
    await unlink(join(content, "articles", "tai-dang.md"));
    await peer.waitFor((r) => r.activity instanceof Delete && objectIdOf(r) === bare());

    const page = await fetch(bare());
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("<h1>Bài viết đã được gỡ</h1>");

    await writeArticle(content, "tai-dang", [
      "title: Thông báo đăng lại",
      `published: ${recently()}`,
    ]);
    const [again] = await peer.waitFor(
      (r) => r.activity instanceof Create && String(objectIdOf(r)).startsWith(`${bare()}?`),
    );
    republished = objectIdOf(again as Received);
    expect(republished).not.toBe(bare());
    const note = (await ((again as Received).activity as Create).getObject()) as Note;
    expect(String(note.url)).toBe(bare());
    expect(String(note.content)).toContain("Thông báo đăng lại");
  });

  it("serves the current Note at the new id, and at the article's own URL as the contract says", async () => {
    // The article's URL with an ActivityStreams Accept is its Note (CONTRACT.md): the
    // current one, whose id Mastodon has not tombstoned.
    const atPage = await fetchAs2(bare());
    expect(atPage.status).toBe(200);
    expect(await atPage.json()).toMatchObject({ id: republished, type: "Note" });
    const current = await fetchAs2(String(republished));
    expect(current.status).toBe(200);
    expect(await current.json()).toMatchObject({ id: republished, type: "Note", url: bare() });
    // Browsers still read the article at its page.
    const html = await fetch(bare(), { headers: { Accept: "text/html" } });
    expect(html.status).toBe(200);
    expect(await html.text()).toContain("Thông báo đăng lại");
  });
});

describe("quote posts", () => {
  const noteUrl = () => `${server.origin}/articles/khan-cap`;

  it("answers a QuoteRequest with an Accept whose QuoteAuthorization dereferences", async () => {
    const quote = new Note({
      id: new URL(`${peer.origin}/notes/quote-1`),
      attribution: peer.actorId,
      content: "Mọi người lưu lại nhé",
      quote: new URL(noteUrl()),
    });
    const request = new QuoteRequest({
      id: new URL(`${peer.origin}/quote-requests/1`),
      actor: peer.actorId,
      object: new URL(noteUrl()),
      instrument: quote,
    });
    await peer.send(actorUrl, request);
    const [accepted] = await peer.waitFor(
      (r) => r.activity instanceof Accept && r.activity.objectId?.href === request.id?.href,
    );
    const result = (accepted?.json.result as string | { id: string } | undefined) ?? "";
    const authorizationUrl = typeof result === "string" ? result : result.id;
    expect(authorizationUrl.startsWith(`${server.origin}/`)).toBe(true);
    const authorization = await getJson(authorizationUrl);
    expect(authorization).toMatchObject({
      id: authorizationUrl,
      type: "QuoteAuthorization",
      attributedTo: actorUrl,
      interactingObject: quote.id?.href,
      interactionTarget: noteUrl(),
    });
    // The quote deleted by its author: the authorization ends with it.
    await peer.send(
      actorUrl,
      new Delete({
        id: new URL(`${peer.origin}/deletes/quote-1`),
        actor: peer.actorId,
        object: quote.id,
      }),
    );
    await eventually(
      async () => (await fetchAs2(authorizationUrl)).status === 404,
      "the authorization to end with its quote",
    );
  });

  it("refuses a QuoteRequest whose quote is someone else's post", async () => {
    const request = new QuoteRequest({
      id: new URL(`${peer.origin}/quote-requests/2`),
      actor: peer.actorId,
      object: new URL(noteUrl()),
      instrument: new Note({
        id: new URL(`${peer.origin}/notes/not-mine`),
        attribution: new URL(`${peer.origin}/users/someone-else`),
        content: "x",
      }),
    });
    await peer.send(actorUrl, request);
    await eventually(async () => /not-mine|someone-else/.test(server.output()), "the refusal");
    expect(
      peer.received.filter(
        (r) => r.activity instanceof Accept && r.activity.objectId?.href === request.id?.href,
      ),
    ).toHaveLength(0);
  });
});

describe("ids", () => {
  it("dereferences every activity id the peer received", async () => {
    const ids = [...new Set(peer.received.map((r) => String(r.activity.id)))];
    expect(ids.length).toBeGreaterThan(8);
    for (const id of ids) {
      const res = await fetchAs2(id);
      expect(res.status, id).toBe(200);
      const json = (await res.json()) as { id: string; type: string };
      // An Accept's id is a fragment of the actor, as Mastodon's are.
      expect(json.id, id).toBe(id.replace(/#.*$/, ""));
      const received = peer.received.find((r) => String(r.activity.id) === id);
      if (!id.includes("#")) expect(json.type, id).toBe(received?.json.type);
    }
  });

  it("answers an activity replaced by later ones, with the Tombstone of a deleted publication", async () => {
    const create = await getJson(`${server.origin}/activities/tai-dang/create/1`);
    expect(create).toMatchObject({
      type: "Create",
      object: { type: "Tombstone", id: `${server.origin}/articles/tai-dang` },
    });
    const update = await getJson(`${server.origin}/activities/tai-dang/update/2`);
    expect(update).toMatchObject({ type: "Update", object: { type: "Tombstone" } });
  });

  it("answers a Create after the article's Update, with the Note as it is now", async () => {
    const noteUrl = `${server.origin}/articles/khan-cap`;
    await writeArticle(
      content,
      "khan-cap",
      ["title: Số điện thoại khẩn cấp", `published: ${recently()}`, "tags: [Khẩn cấp]"],
      "Gọi 114.\n",
    );
    await peer.waitFor((r) => r.activity instanceof Update && objectIdOf(r) === noteUrl);
    const create = await getJson(`${server.origin}/activities/khan-cap/create/1`);
    expect(create).toMatchObject({ type: "Create", object: { type: "Note", id: noteUrl } });
    expect(JSON.stringify(create.object)).toContain("Gọi 114.");
  });
});

describe("WebFinger", () => {
  const host = () => new URL(server.origin).host;
  const finger = (resource: string) =>
    fetch(`${server.origin}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`);

  it("finds the account whatever the username's case, with the profile page as an alias", async () => {
    const res = await finger(`acct:CuaLo@${host()}`);
    expect(res.status).toBe(200);
    const jrd = (await res.json()) as {
      subject: string;
      aliases: string[];
      links: { rel: string; href: string }[];
    };
    expect(jrd.subject).toBe(`acct:cualo@${host()}`);
    expect(jrd.links.find((l) => l.rel === "self")?.href).toBe(actorUrl);
    expect(jrd.aliases).toEqual(expect.arrayContaining([actorUrl, `${server.origin}/`]));
    const byPage = await finger(`${server.origin}/`);
    expect(byPage.status).toBe(200);
    expect(
      ((await byPage.json()) as { links: { rel: string; href: string }[] }).links,
    ).toContainEqual(expect.objectContaining({ rel: "self", href: actorUrl }));
  });

  it("answers an unknown account and a bad request with JSON errors", async () => {
    const unknown = await finger(`acct:nobody@${host()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("Content-Type")).toMatch(/json/);
    expect(await unknown.json()).toEqual({ error: expect.any(String) });
    const bad = await fetch(`${server.origin}/.well-known/webfinger`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.any(String) });
  });
});
