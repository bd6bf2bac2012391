import { mkdir, mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Accept, Create, Delete, Hashtag, Image, Note, Update } from "@fedify/fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Peer, type Received, startPeer } from "../helpers/peer.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { AS2, ENTRY, eventually, followerCount, SITE_YML, writeArticle } from "./e2e.ts";

let content: string;
let server: TestServer;
let peer: Peer;
let actorUrl: string;

const isoMinutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const noteOf = async (r: Received) => (await (r.activity as Create).getObject()) as Note;
/** The article's Note: its URL, or (published again after a Delete) that URL with `?v=`. */
const about = (slug: string) => (r: Received) => {
  const id = r.activity.objectId?.href ?? (r.json.object as { id?: string } | undefined)?.id;
  return id?.replace(/\?v=\d+$/, "") === `${server.origin}/articles/${slug}`;
};
const count = (type: typeof Create | typeof Update | typeof Delete, slug: string) =>
  peer.received.filter((r) => r.activity instanceof type && about(slug)(r)).length;

beforeAll(async () => {
  content = await mkdtemp(join(tmpdir(), "loa-publish-"));
  await mkdir(join(content, "articles"), { recursive: true });
  await writeFile(join(content, "site.yml"), SITE_YML);
  // An archive article, like the 2021 seed: recorded, in the outbox, never pushed.
  await writeArticle(content, "luu-tru", [
    "title: Lưu trữ",
    "published: 2021-03-18T15:00:00+07:00",
  ]);
  server = await startServer({ contentDir: content, entry: ENTRY });
  peer = await startPeer();
  actorUrl = `${server.origin}/users/cualo`;
  await peer.follow(actorUrl);
  await peer.waitFor((r) => r.activity instanceof Accept);
  await eventually(async () => (await followerCount(actorUrl)) === 1, "the follower stored");
});

afterAll(async () => {
  await peer?.close();
  await server?.cleanup();
  await rm(content, { recursive: true, force: true });
});

describe("publishing", () => {
  it("sends one Create(Note) with the contract's fields for a new article", async () => {
    await writeArticle(content, "le-hoi", [
      "title: Lễ hội Sông nước Cửa Lò",
      `published: ${isoMinutesAgo(1)}`,
      "summary: Khai mạc lễ hội <năm nay>",
      "tags: [Cải cách hành chính, Du lịch]",
      "image: { url: 'https://cualo.example.vn/anh/le-hoi.jpg', alt: 'Pháo hoa trên biển' }",
    ]);
    const [first] = await peer.waitFor((r) => r.activity instanceof Create && about("le-hoi")(r));
    const received = first as Received;
    const create = received.activity as Create;
    const note = await noteOf(received);
    const noteUrl = `${server.origin}/articles/le-hoi`;
    expect(create.actorId?.href).toBe(actorUrl);
    expect(note).toBeInstanceOf(Note);
    expect(note.id?.href).toBe(noteUrl);
    expect(note.attributionId?.href).toBe(actorUrl);
    expect(note.toIds.map(String)).toEqual(["https://www.w3.org/ns/activitystreams#Public"]);
    expect(note.ccIds.map(String)).toEqual([`${actorUrl}/followers`]);
    expect(String(note.url)).toBe(noteUrl);
    expect(note.published).not.toBeNull();
    const html = String(note.content);
    expect(html).toContain("<strong>Lễ hội Sông nước Cửa Lò</strong>");
    expect(html).toContain("Khai mạc lễ hội &lt;năm nay&gt;");
    expect(html).toContain(`href="${noteUrl}"`);
    expect(html).toMatch(/class="mention hashtag" rel="tag">#CảiCáchHànhChính</);
    expect((received.json.object as { contentMap: Record<string, string> }).contentMap.vi).toBe(
      html,
    );
    const tags = [];
    for await (const tag of note.getTags()) tags.push(tag);
    expect(tags.every((t) => t instanceof Hashtag)).toBe(true);
    expect(tags.map((t) => String(t.name))).toEqual(["#CảiCáchHànhChính", "#DuLịch"]);
    const attachments = [];
    for await (const a of note.getAttachments()) attachments.push(a);
    expect(attachments).toHaveLength(1);
    const image = attachments[0] as Image;
    expect(image).toBeInstanceOf(Image);
    expect(String(image.name)).toBe("Pháo hoa trên biển");
    expect(image.mediaType).toBe("image/jpeg");
  });

  it("serves the Note at the article URL to ActivityPub clients", async () => {
    const res = await fetch(`${server.origin}/articles/le-hoi`, { headers: { Accept: AS2 } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("application/activity+json");
    expect(res.headers.get("Vary")).toMatch(/Accept/i);
    const json = (await res.json()) as { id: string; type: string };
    expect(json).toMatchObject({ id: `${server.origin}/articles/le-hoi`, type: "Note" });
    const page = await fetch(`${server.origin}/articles/le-hoi`, {
      headers: { Accept: "text/html" },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Type")).toContain("text/html");
    expect(await page.text()).toContain("Lễ hội Sông nước Cửa Lò");
  });

  it("sends one Update with a later `updated` for an edit", async () => {
    await writeArticle(
      content,
      "le-hoi",
      ["title: Lễ hội Sông nước Cửa Lò (cập nhật)", `published: ${isoMinutesAgo(1)}`],
      "Đã sửa.\n",
    );
    const [received] = await peer.waitFor(
      (r) => r.activity instanceof Update && about("le-hoi")(r),
    );
    const note = await noteOf(received as Received);
    expect(String(note.content)).toContain("(cập nhật)");
    expect(note.updated).not.toBeNull();
    expect(note.updated?.epochMilliseconds).toBeGreaterThan(note.published?.epochMilliseconds ?? 0);
  });

  it("sends one Delete for a removal, and the URL answers 410 to ActivityPub clients", async () => {
    await unlink(join(content, "articles", "le-hoi.md"));
    await peer.waitFor((r) => r.activity instanceof Delete && about("le-hoi")(r));
    const res = await fetch(`${server.origin}/articles/le-hoi`, { headers: { Accept: AS2 } });
    expect(res.status).toBe(410);
    expect(((await res.json()) as { type: string }).type).toBe("Tombstone");
  });

  it("keeps followers and ledger across a restart and sends a change made while down once", async () => {
    await server.stop();
    await writeArticle(content, "khi-tat", [
      "title: Viết khi máy tắt",
      `published: ${isoMinutesAgo(1)}`,
    ]);
    await server.start();
    expect(await followerCount(actorUrl)).toBe(1);
    await peer.waitFor((r) => r.activity instanceof Create && about("khi-tat")(r));
    // A marker change: anything resent at restart would have been queued before it.
    await writeArticle(content, "sau-cung", ["title: Sau cùng", `published: ${isoMinutesAgo(1)}`]);
    await peer.waitFor((r) => r.activity instanceof Create && about("sau-cung")(r));
    expect(count(Create, "le-hoi")).toBe(1);
    expect(count(Update, "le-hoi")).toBe(1);
    expect(count(Delete, "le-hoi")).toBe(1);
    expect(count(Create, "khi-tat")).toBe(1);
    expect(count(Create, "luu-tru")).toBe(0);
    expect(peer.received.filter((r) => r.activity instanceof Accept)).toHaveLength(1);
  });

  it("does not send a Delete when an edit breaks an article's file", async () => {
    await writeArticle(content, "sau-cung", ["published: not a date"]);
    // Once the server has read the broken file, a later change is reconciled after it.
    await eventually(async () => {
      const res = await fetch(`${server.origin}/articles/sau-cung`, { headers: { Accept: AS2 } });
      await res.body?.cancel();
      return res.status === 404;
    }, "the broken file to be read");
    await writeArticle(content, "moc", ["title: Mốc", `published: ${isoMinutesAgo(1)}`]);
    await peer.waitFor((r) => r.activity instanceof Create && about("moc")(r));
    expect(count(Delete, "sau-cung")).toBe(0);
  });

  it("withdraws an article turned back into a draft with one Delete, and publishes it again after", async () => {
    await writeArticle(content, "nhap", ["title: Sẽ thành nháp", `published: ${isoMinutesAgo(1)}`]);
    await peer.waitFor((r) => r.activity instanceof Create && about("nhap")(r));
    await writeArticle(content, "nhap", [
      "title: Sẽ thành nháp",
      `published: ${isoMinutesAgo(1)}`,
      "draft: true",
    ]);
    await peer.waitFor((r) => r.activity instanceof Delete && about("nhap")(r));
    const page = await fetch(`${server.origin}/articles/nhap`);
    await page.body?.cancel();
    expect(page.status).toBe(410);
    await writeArticle(content, "nhap", ["title: Đăng lại", `published: ${isoMinutesAgo(1)}`]);
    await eventually(async () => count(Create, "nhap") === 2, "the article created again");
    expect(count(Delete, "nhap")).toBe(1);
    // Mastodon ignores a Create of an id it holds a tombstone for: a new one.
    const ids = peer.received
      .filter((r) => r.activity instanceof Create && about("nhap")(r))
      .map((r) => r.activity.objectId?.href);
    expect(new Set(ids).size).toBe(2);
  });

  it("lists the archive article in the outbox though it was never pushed", async () => {
    const res = await fetch(`${actorUrl}/outbox?cursor=0`, { headers: { Accept: AS2 } });
    const page = (await res.json()) as { orderedItems: { object: { id: string } }[] };
    const ids = page.orderedItems.map((i) => i.object.id);
    expect(ids).toContain(`${server.origin}/articles/luu-tru`);
    expect(ids).not.toContain(`${server.origin}/articles/le-hoi`);
  });
});
