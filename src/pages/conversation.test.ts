import { describe, expect, it } from "vitest";
import { fixtureSite, seedArticle } from "../../tests/fixtures/articles.ts";
import { ARTICLE_URL, author, reply } from "../../tests/fixtures/replies.ts";
import {
  byClass,
  childrenNamed,
  elementsNamed,
  findAll,
  nodeText,
  type TreeNode,
  treeOf,
} from "../../tests/helpers/html.ts";
import { avatarKey } from "../media/avatar-key.ts";
import type { Interaction, InteractionCounts } from "../storage/interactions.ts";
import { createUrls } from "../urls.ts";
import { renderArticlePage } from "./article-page.ts";
import { renderConversation, renderReply, replyAnchor, threadReplies } from "./conversation.ts";
import { toHtmlString } from "./format.ts";

const urls = createUrls(new URL("https://cualo.example"));
const site = fixtureSite;
const counts: InteractionCounts = { replies: 2, likes: 1234, announces: 0 };

const conversation = (replies: Interaction[], extra: { moderated?: boolean } = {}) =>
  toHtmlString(
    renderConversation({ site, urls, counts, replies, articleUrl: ARTICLE_URL, ...extra }),
  );

/** The top-level `<li>`s of the conversation, each with the replies nested under it. */
function topLevel(html: string): TreeNode[] {
  const list = byClass(treeOf(html), "ol", "replies")[0];
  if (!list) return [];
  return childrenNamed(list, "li");
}

function nameIn(node: TreeNode): string {
  const name = byClass(node, "bdi", "name")[0];
  return name ? nodeText(name) : "";
}

describe("renderConversation", () => {
  it("shows the counts with their Vietnamese labels", () => {
    const tree = treeOf(conversation([]));
    const items = findAll(tree, (n) => n.name === "li").map(nodeText);
    expect(items).toEqual(["2 phản hồi", "1.234 lượt thích", "0 lượt chia sẻ"]);
    expect(findAll(tree, (n) => n.name === "h2").map(nodeText)).toEqual([
      "Phản hồi từ mạng xã hội",
    ]);
    expect(nodeText(tree)).toContain("Chưa có phản hồi nào.");
  });

  it("tells how to reply from the fediverse, with the town's handle and the article's address", () => {
    const text = nodeText(treeOf(conversation([])));
    expect(text).toContain("Trả lời từ Mastodon hoặc mạng xã hội liên hợp");
    expect(text).toContain("@cualo@cualo.example");
    expect(text).toContain(ARTICLE_URL);
    expect(text).not.toContain("sau khi được duyệt");
    expect(nodeText(treeOf(conversation([], { moderated: true })))).toContain(
      "Phản hồi hiện ở đây sau khi được duyệt.",
    );
  });

  it("shows only approved public replies", () => {
    const html = conversation([
      reply("an"),
      reply("binh", { state: "pending" }),
      reply("chi", { state: "rejected" }),
      reply("dung", { visibility: "followers" }),
      reply("giang", { visibility: "direct" }),
      reply("ha", { kind: "mention" }),
      reply("khoa", { kind: "like", html: null }),
    ]);
    expect(topLevel(html).map(nameIn)).toEqual(["an"]);
    for (const hidden of ["binh", "chi", "dung", "giang", "ha", "khoa"]) {
      expect(html).not.toContain(`@${hidden}@social.example`);
    }
  });

  it("threads one level: deeper replies sit under their top-level ancestor, saying whom they answer", () => {
    const a = reply("an", { id: "https://a.example/1" });
    const b = reply("binh", { id: "https://b.example/2", inReplyTo: a.id });
    const c = reply("chi", { id: "https://c.example/3", inReplyTo: b.id });
    const d = reply("dung", { id: "https://d.example/4" });
    // Its parent is not shown (pending, or never stored): it stands on its own.
    const e = reply("giang", { id: "https://e.example/5", inReplyTo: "https://x.example/hidden" });
    const f = reply("ha", { id: "https://f.example/6", inReplyTo: d.id });
    const top = topLevel(conversation([a, b, c, d, e, f]));
    expect(top.map((li) => nameIn(childrenNamed(li, "article")[0] ?? li))).toEqual([
      "an",
      "dung",
      "giang",
    ]);
    const under = (li: TreeNode | undefined) =>
      li ? childrenNamed(li, "ol").flatMap((ol) => childrenNamed(ol, "li").map(nameIn)) : [];
    expect(under(top[0])).toEqual(["binh", "chi"]);
    expect(under(top[1])).toEqual(["ha"]);
    expect(under(top[2])).toEqual([]);
    // No third level.
    expect(findAll(top[0] ?? treeOf(""), (n) => n.name === "ol")).toHaveLength(1);
    const nested = byClass(top[0] ?? treeOf(""), "article", "reply");
    const chi = nested.find((n) => nameIn(n) === "chi");
    const binh = nested.find((n) => nameIn(n) === "binh");
    expect(chi && nodeText(chi)).toContain("trả lời binh");
    expect(binh && nodeText(binh)).not.toContain("trả lời");
    const answerLink =
      chi && findAll(chi, (n) => n.name === "a" && (n.attribs.href ?? "").startsWith("#"));
    expect(answerLink?.map((n) => n.attribs.href)).toEqual([`#${replyAnchor(b)}`]);
    expect(binh?.attribs.id).toBe(replyAnchor(b));
  });

  it("survives reply cycles and duplicates, showing each reply once", () => {
    const a = reply("an", { id: "https://a.example/1", inReplyTo: "https://b.example/2" });
    const b = reply("binh", { id: "https://b.example/2", inReplyTo: a.id });
    const self = reply("chi", { id: "https://c.example/3", inReplyTo: "https://c.example/3" });
    const threads = threadReplies([a, b, self, a]);
    const shown = threads.flatMap((t) => [t.reply, ...t.children]).map((r) => r.id);
    expect(shown.sort()).toEqual([a.id, b.id, self.id].sort());
  });
});

describe("renderReply", () => {
  const render = (r: Interaction) => toHtmlString(renderReply(r, site));

  it("links the author's name and handle to their profile, with the avatar", () => {
    const r = reply("an", { author: author("an", "social.example", "Nguyễn Văn An") });
    const tree = treeOf(render(r));
    const [profile] = findAll(tree, (n) => n.name === "a");
    expect(profile?.attribs).toEqual({ href: "https://social.example/@an", rel: "nofollow ugc" });
    expect(profile && nodeText(profile)).toBe("Nguyễn Văn An @an@social.example");
    const [img] = elementsNamed(render(r), "img");
    expect(img?.attribs).toMatchObject({
      // Served from our own origin, never hot-linked from the sender's server.
      src: `/avatars/${avatarKey("https://social.example/avatars/an.png")}`,
      alt: "",
      loading: "lazy",
      width: "48",
      height: "48",
    });
  });

  it("dates it in the site's style and time zone, linking to the original", () => {
    const r = reply("an", { url: "https://social.example/@an/42" });
    const tree = treeOf(render(r));
    const [time] = findAll(tree, (n) => n.name === "time");
    expect(time?.attribs.datetime).toBe("2021-03-18T09:30:00.000Z");
    expect(time && nodeText(time)).toBe("Thứ Năm, 18/03/2021 16:30");
    expect(time?.parent?.attribs).toEqual({
      href: "https://social.example/@an/42",
      rel: "nofollow ugc",
    });
    const edited = nodeText(treeOf(render({ ...r, updated: new Date("2021-03-18T10:00:00Z") })));
    expect(edited).toContain("đã sửa");
    expect(nodeText(tree)).not.toContain("đã sửa");
  });

  it("marks the content's language when it is a valid tag, and only then", () => {
    const lang = (r: Interaction) => byClass(treeOf(render(r)), "div", "reply-content")[0]?.attribs;
    expect(lang(reply("an", { language: "en-GB" }))).toEqual({
      class: "reply-content",
      lang: "en-GB",
    });
    expect(lang(reply("an", { language: null }))).toEqual({ class: "reply-content" });
    expect(lang(reply("an", { language: 'en" onmouseover="x' }))).toEqual({
      class: "reply-content",
    });
  });

  it("sanitizes the content again when rendering", () => {
    const html = render(
      reply("an", {
        html: '<p onclick="x()">Chào <a href="javascript:alert(1)">bấm</a><script>alert(1)</script><img src=x onerror=alert(2)> <a href="https://ok.example/" target="_blank">ok</a></p>',
      }),
    );
    expect(html).not.toMatch(/<script|onclick|onerror|javascript:|target=/);
    const content = byClass(treeOf(html), "div", "reply-content")[0];
    expect(content && nodeText(content)).toBe("Chào bấm ok");
    const links = content ? findAll(content, (n) => n.name === "a") : [];
    expect(links.map((a) => a.attribs)).toEqual([
      {
        href: "https://ok.example/",
        rel: "nofollow ugc noopener",
      },
    ]);
  });

  it("escapes a hostile name and handle, and links nothing that is not http(s)", () => {
    const hostile = reply("x", {
      author: {
        actorId: "https://evil.example/users/x",
        name: '<script>alert(1)</script>"><img src=x onerror=alert(1)>',
        handle: '@x"onmouseover="alert(1)@evil.example',
        avatarUrl: "javascript:alert(1)",
        profileUrl: "javascript:alert(1)",
      },
      url: "data:text/html,<script>alert(1)</script>",
    });
    const html = render(hostile);
    expect(elementsNamed(html, "script")).toEqual([]);
    expect(elementsNamed(html, "img")).toEqual([]);
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain("data:");
    expect(nodeText(treeOf(html))).toContain(
      '<script>alert(1)</script>"><img src=x onerror=alert(1)> @x"onmouseover="alert(1)@evil.example',
    );
    // The profile falls back to the actor id, the original to the reply's id.
    expect(elementsNamed(html, "a").map((a) => a.attribs.href)).toEqual([
      "https://evil.example/users/x",
      hostile.id,
    ]);
  });

  it("isolates a name's direction, so it cannot reorder the handle or the date", () => {
    const spoof = reply("an", { author: { ...author("an"), name: "\u202Enimda" } });
    const [name] = byClass(treeOf(render(spoof)), "bdi", "name");
    expect(name && nodeText(name)).toBe("\u202Enimda");
    expect(byClass(treeOf(render(spoof)), "bdi", "handle").map(nodeText)).toEqual([
      "@an@social.example",
    ]);
  });

  it("names an author without a display name by handle, else by host", () => {
    const noName = reply("an", { author: { ...author("an"), name: " " } });
    expect(nameIn(treeOf(render(noName)))).toBe("@an@social.example");
    const bare = reply("an", { author: { ...author("an"), name: null, handle: null } });
    expect(nameIn(treeOf(render(bare)))).toBe("social.example");
  });
});

describe("the article page with its conversation", () => {
  it("shows the conversation after the article's body, before the way home", () => {
    const page = renderArticlePage({
      site,
      urls,
      article: seedArticle,
      conversation: renderConversation({
        site,
        urls,
        counts,
        replies: [reply("an")],
        articleUrl: ARTICLE_URL,
      }),
    });
    const body = page.indexOf('<div class="content">');
    const section = page.indexOf('<section class="conversation"');
    const home = page.indexOf("← Về trang chủ");
    expect(body).toBeGreaterThan(0);
    expect(section).toBeGreaterThan(body);
    expect(home).toBeGreaterThan(section);
    expect(page).toContain("Ý kiến của an");
  });

  it("is unchanged without one", () => {
    const page = renderArticlePage({ site, urls, article: seedArticle });
    expect(page).not.toContain('<section class="conversation"');
    expect(page).toContain("← Về trang chủ");
  });
});
