import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fixtureSite } from "../../../tests/fixtures/articles.ts";
import { author, reply } from "../../../tests/fixtures/replies.ts";
import {
  blocksOf,
  elementsNamed,
  elementsOf,
  findAll,
  nodeText,
  treeOf,
} from "../../../tests/helpers/html.ts";
import { createUrls } from "../../urls.ts";
import { renderBlocks } from "./blocks.ts";
import { renderDashboard } from "./dashboard.ts";
import { renderDeliveries } from "./deliveries.ts";
import { renderFollowers } from "./followers.ts";
import { renderLogin } from "./login.ts";
import { renderMentions } from "./mentions.ts";
import { renderQueue } from "./queue.ts";
import { NEWSROOM_CSP } from "./style.ts";

const site = fixtureSite;
const urls = createUrls(new URL("https://cualo.example"));
const csrfToken = "tok-3f9a";

/** Every staff page, with some data, as the routes would render them. */
const staffPages = () => ({
  queue: renderQueue({
    site,
    urls,
    csrfToken,
    pending: [reply("an", { state: "pending" })],
    articleTitles: new Map([["cai-cach-hanh-chinh", "Cải cách hành chính"]]),
    next: "c2",
  }),
  mentions: renderMentions({ site, urls, csrfToken, mentions: [reply("an", { kind: "mention" })] }),
  followers: renderFollowers({
    site,
    csrfToken,
    count: 1,
    servers: [{ host: "social.example", count: 1 }],
    followers: [{ actorId: author("an").actorId, createdAt: new Date("2021-03-01T00:00:00Z") }],
  }),
  deliveries: renderDeliveries({
    site,
    csrfToken,
    activities: [
      {
        activityId: "https://cualo.example/activities/cai-cach-hanh-chinh/create/1",
        firstAt: new Date("2021-03-18T08:00:01Z"),
        pending: 1,
        delivered: 8,
        failed: 1,
        failingHosts: ["down.example"],
      },
    ],
  }),
  blocks: renderBlocks({
    site,
    csrfToken,
    blocks: [{ kind: "domain", value: "spam.example", createdAt: new Date(), by: "alice" }],
  }),
  home: renderDashboard({
    site,
    csrfToken,
    timeZone: site.timezone,
    review: {
      total: 1,
      items: [{ id: "a1", title: "Lịch <tiếp> dân", changed: new Date(), by: "lan" }],
    },
    moderation: {
      heldReplies: 2,
      failingDeliveries: 0,
      held: [reply("binh", { state: "pending" })],
      urls,
      articleTitles: new Map([["cai-cach-hanh-chinh", "Cải cách hành chính"]]),
    },
    own: {
      drafts: { total: 0, items: [] },
      returned: {
        total: 1,
        items: [{ id: "a2", title: "Trả lại", changed: new Date(), comment: "Xin <b>sửa</b>" }],
      },
      submitted: { total: 0, items: [] },
    },
  }),
});

const allPages = () => ({ ...staffPages(), login: renderLogin({ site }) });

describe("every newsroom page", () => {
  it.each(Object.entries(allPages()))(
    "%s works on a phone, in Vietnamese, unindexed",
    (_n, page) => {
      expect(page.startsWith('<!doctype html>\n<html lang="vi">')).toBe(true);
      expect(page).toContain(
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
      );
      expect(page).toContain('<meta name="robots" content="noindex, nofollow">');
      expect(elementsNamed(page, "h1")).toHaveLength(1);
      expect(nodeText(treeOf(page))).toContain("Tòa soạn");
    },
  );

  it.each(Object.entries(allPages()))(
    "%s runs no script and needs only its hashed stylesheet",
    (_n, page) => {
      const elements = elementsOf(page);
      expect(elements.filter((e) => e.name === "script")).toEqual([]);
      const attributes = elements.flatMap((e) => Object.keys(e.attribs));
      expect(attributes.filter((a) => a === "style" || a.startsWith("on"))).toEqual([]);
      expect(page.match(/<style>/g)).toHaveLength(1);
      const css = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? "";
      const hash = createHash("sha256").update(css, "utf8").digest("base64");
      expect(NEWSROOM_CSP).toContain(`style-src 'sha256-${hash}'`);
    },
  );

  it.each(Object.entries(allPages()))(
    "%s labels every field and gives every image an alt",
    (_n, page) => {
      const elements = elementsOf(page);
      const labelled = new Set(
        elements.filter((e) => e.name === "label").map((e) => e.attribs.for),
      );
      const fields = elements.filter((e) => e.name === "input" && e.attribs.type !== "hidden");
      for (const field of fields) expect(labelled).toContain(field.attribs.id);
      for (const img of elements.filter((e) => e.name === "img")) {
        expect(img.attribs.alt).toBeDefined();
      }
      const ids = elements.map((e) => e.attribs.id).filter((id) => id !== undefined);
      expect(new Set(ids).size).toBe(ids.length);
    },
  );

  it.each(Object.entries(staffPages()))(
    "%s posts every form with the session's CSRF token",
    (_n, page) => {
      const forms = blocksOf(page, "form");
      expect(forms.length).toBeGreaterThan(0);
      for (const form of forms) {
        const [tag] = elementsNamed(form, "form");
        expect(tag?.attribs.method).toBe("post");
        expect(tag?.attribs.action).toMatch(/^\/admin\//);
        const csrf = elementsNamed(form, "input").filter((i) => i.attribs.name === "csrf");
        expect(csrf.map((i) => i.attribs)).toEqual([
          { type: "hidden", name: "csrf", value: csrfToken },
        ]);
      }
    },
  );

  it.each(Object.entries(staffPages()))(
    "%s has the navigation, marking where staff are",
    (name, page) => {
      const tree = treeOf(page);
      const [nav] = findAll(
        tree,
        (n) => n.name === "nav" && n.attribs["aria-label"] === "Tòa soạn",
      );
      expect(nav && nodeText(nav)).toBe(
        "Tổng quan Bài viết Hàng chờ duyệt Nhắc đến Người theo dõi Tình trạng gửi Danh sách chặn Ảnh Nhật ký Nhân sự Đăng xuất",
      );
      const current = nav ? findAll(nav, (n) => n.attribs["aria-current"] === "page") : [];
      const paths: Record<string, string> = {
        home: "/admin/",
        queue: "/admin/replies",
        mentions: "/admin/mentions",
        followers: "/admin/followers",
        deliveries: "/admin/deliveries",
        blocks: "/admin/blocks",
      };
      expect(current.map((a) => a.attribs.href)).toEqual([paths[name]]);
      const logout = nav ? findAll(nav, (n) => n.name === "form") : [];
      expect(logout.map((f) => f.attribs.action)).toEqual(["/admin/logout"]);
    },
  );

  it.each([
    [["writer"], "Tổng quan Bài viết Ảnh Đăng xuất"],
    [["editor"], "Tổng quan Bài viết (3) bài chờ duyệt Ảnh Đăng xuất"],
    [
      ["moderator"],
      "Tổng quan Hàng chờ duyệt Nhắc đến Người theo dõi Tình trạng gửi Danh sách chặn Đăng xuất",
    ],
    [
      ["writer", "moderator"],
      "Tổng quan Bài viết Hàng chờ duyệt Nhắc đến Người theo dõi Tình trạng gửi Danh sách chặn Ảnh Đăng xuất",
    ],
    [
      ["admin"],
      "Tổng quan Bài viết (3) bài chờ duyệt Hàng chờ duyệt Nhắc đến Người theo dõi Tình trạng gửi Danh sách chặn Ảnh Nhật ký Nhân sự Đăng xuất",
    ],
  ] as const)("shows %j only the sections their roles reach", (roles, text) => {
    const submitted = roles.some((r) => r === "editor" || r === "admin") ? 3 : undefined;
    const page = renderBlocks({ site, csrfToken, blocks: [], viewer: { roles, submitted } });
    const [nav] = findAll(treeOf(page), (n) => n.name === "nav");
    expect(nav && nodeText(nav)).toBe(text);
  });

  it("shows no count beside the articles when none waits", () => {
    const viewer = { roles: ["editor"] as const, submitted: 0 };
    const page = renderBlocks({ site, csrfToken, blocks: [], viewer });
    const [nav] = findAll(treeOf(page), (n) => n.name === "nav");
    expect(nav && nodeText(nav)).toBe("Tổng quan Bài viết Ảnh Đăng xuất");
  });

  it("shows titles and an editor's comment on the first page as text", () => {
    const page = staffPages().home;
    expect(elementsNamed(page, "b")).toEqual([]);
    expect(page).toContain("Lịch &lt;tiếp&gt; dân");
    expect(page).toContain("Góp ý: Xin &lt;b&gt;sửa&lt;/b&gt;");
  });

  it("shows a notice after an action, announced politely", () => {
    const page = renderBlocks({
      site,
      csrfToken,
      blocks: [],
      notice: "Đã bỏ chặn <spam.example>.",
    });
    const [notice] = findAll(treeOf(page), (n) => n.attribs.role === "status");
    expect(notice && nodeText(notice)).toBe("Đã bỏ chặn <spam.example>.");
    expect(page).toContain("&lt;spam.example&gt;");
  });

  it("has a policy that runs nothing, frames nowhere and posts only here", () => {
    expect(NEWSROOM_CSP.split("; ")).toEqual([
      "default-src 'none'",
      expect.stringMatching(/^style-src 'sha256-[A-Za-z0-9+/]+=*'$/),
      "img-src 'self' data:",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ]);
  });
});

describe("renderLogin", () => {
  it("is a form posting username and password, labelled, with autocomplete hints", () => {
    const page = renderLogin({ site });
    const [form] = elementsNamed(page, "form");
    expect(form?.attribs).toEqual({ method: "post", action: "/admin/login" });
    const inputs = elementsNamed(page, "input");
    expect(inputs.map((i) => [i.attribs.name, i.attribs.type, i.attribs.autocomplete])).toEqual([
      ["username", "text", "username"],
      ["password", "password", "current-password"],
    ]);
    expect(elementsNamed(page, "label").map((l) => l.attribs.for)).toEqual([
      "username",
      "password",
    ]);
    expect(findAll(treeOf(page), (n) => n.name === "nav")).toEqual([]);
    expect(findAll(treeOf(page), (n) => n.attribs.role === "alert")).toEqual([]);
  });

  it.each([
    ["invalid", "Tên đăng nhập hoặc mật khẩu không đúng."],
    ["throttled", "Đăng nhập sai quá nhiều lần. Xin thử lại sau 15 phút."],
    ["expired", "Phiên làm việc đã hết hạn. Xin đăng nhập lại."],
  ] as const)("says why it failed (%s)", (error, message) => {
    const tree = treeOf(renderLogin({ site, error, username: "alice" }));
    const [alert] = findAll(tree, (n) => n.attribs.role === "alert");
    expect(alert && nodeText(alert)).toBe(message);
    const fields = findAll(tree, (n) => n.name === "input");
    expect(fields.map((f) => f.attribs["aria-describedby"])).toEqual([
      alert?.attribs.id,
      alert?.attribs.id,
    ]);
  });

  it("keeps the typed name, escaped, and never the password", () => {
    const hostile = '"><script>alert(1)</script>';
    const page = renderLogin({ site, error: "invalid", username: hostile });
    expect(elementsNamed(page, "script")).toEqual([]);
    const [username, password] = elementsNamed(page, "input");
    expect(username?.attribs.value).toBe(hostile);
    expect(password?.attribs.value).toBeUndefined();
  });

  it("carries a pre-session CSRF token when given one", () => {
    const inputs = elementsNamed(renderLogin({ site, csrfToken: "pre-1" }), "input");
    expect(inputs[0]?.attribs).toEqual({ type: "hidden", name: "csrf", value: "pre-1" });
  });
});
