import { describe, expect, it } from "vitest";
import { fixtureSite } from "../../../tests/fixtures/articles.ts";
import { ARTICLE_URL, author, reply } from "../../../tests/fixtures/replies.ts";
import {
  blocksOf,
  byClass,
  elementsNamed,
  findAll,
  nodeText,
  type TreeNode,
  treeOf,
} from "../../../tests/helpers/html.ts";
import { renderReply } from "../../pages/conversation.ts";
import { toHtmlString } from "../../pages/format.ts";
import type { Interaction } from "../../storage/interactions.ts";
import { createUrls } from "../../urls.ts";
import { renderQueue } from "./queue.ts";

const site = fixtureSite;
const urls = createUrls(new URL("https://cualo.example"));
const csrfToken = "tok-q";
const articleTitles = new Map([["cai-cach-hanh-chinh", "Cải cách <hành chính>"]]);

const queue = (pending: Interaction[], extra: { next?: string; total?: number } = {}) =>
  renderQueue({ site, urls, csrfToken, pending, articleTitles, ...extra });

/** The queue's entries: the `<li>`s of its list. */
function entries(page: string): TreeNode[] {
  const list = byClass(treeOf(page), "ol", "items")[0];
  return list ? list.children.filter((c): c is TreeNode => typeof c !== "string") : [];
}

/** Each form of an entry as [action, fields without the token]. */
function formsOf(entry: string): [string | undefined, Record<string, string>][] {
  return blocksOf(entry, "form").map((form) => {
    const fields: Record<string, string> = {};
    for (const input of elementsNamed(form, "input")) {
      if (input.attribs.name && input.attribs.name !== "csrf") {
        fields[input.attribs.name] = input.attribs.value ?? "";
      }
    }
    return [elementsNamed(form, "form")[0]?.attribs.action, fields];
  });
}

describe("renderQueue", () => {
  it("shows each pending reply exactly as the article page would", () => {
    const pending = reply("an", { state: "pending", html: "<p>Xin hỏi <b>lịch</b></p>" });
    const page = queue([pending]);
    expect(page).toContain(toHtmlString(renderReply(pending, site)));
    expect(entries(page)).toHaveLength(1);
  });

  it("offers approve, reject, block the author, block the server, each with the id", () => {
    const pending = reply("an", {
      state: "pending",
      author: author("an", "social.example:8443"),
    });
    const [logout, approve, reject, blockActor, blockDomain, ...more] = formsOf(queue([pending]));
    expect(logout).toEqual(["/admin/logout", {}]);
    expect(more).toEqual([]);
    expect(approve).toEqual(["/admin/replies/approve", { id: pending.id }]);
    expect(reject).toEqual(["/admin/replies/reject", { id: pending.id }]);
    expect(blockActor).toEqual([
      "/admin/blocks/actor",
      { id: pending.id, actor: "https://social.example:8443/users/an" },
    ]);
    expect(blockDomain).toEqual([
      "/admin/blocks/domain",
      { id: pending.id, domain: "social.example:8443" },
    ]);
    const buttons = findAll(treeOf(queue([pending])), (n) => n.name === "button").map(nodeText);
    expect(buttons).toEqual([
      "Đăng xuất",
      "Duyệt",
      "Từ chối",
      "Chặn tác giả",
      "Chặn máy chủ social.example:8443",
    ]);
  });

  it("says which article each belongs to, who could see it, and when it came", () => {
    const page = queue([
      reply("an", { state: "pending", visibility: "public" }),
      reply("binh", { state: "pending", visibility: "followers", slug: "khong-co" }),
      reply("chi", { state: "pending", visibility: "direct", slug: null, inReplyTo: null }),
    ]);
    const [first, second, third] = entries(page);
    expect(first && nodeText(first)).toContain(
      "Bài viết: Cải cách <hành chính> · công khai · nhận lúc Thứ Năm, 18/03/2021 16:30",
    );
    expect(first && findAll(first, (n) => n.name === "a")[0]?.attribs.href).toBe(ARTICLE_URL);
    expect(second && nodeText(second)).toContain("Bài viết: khong-co · chỉ người theo dõi");
    expect(third && nodeText(third)).toContain("Không thuộc bài viết nào · riêng tư");
    expect(page).toContain("Cải cách &lt;hành chính&gt;");
  });

  it("points to the reply it answers when that is not the article", () => {
    const parent = "https://other.example/notes/9";
    const [entry] = entries(queue([reply("an", { state: "pending", inReplyTo: parent })]));
    const link = entry && findAll(entry, (n) => n.name === "a" && n.attribs.href === parent);
    expect(link?.map(nodeText)).toEqual(["một phản hồi khác"]);
    const [plain] = entries(queue([reply("an", { state: "pending" })]));
    expect(plain && nodeText(plain)).not.toContain("trả lời");
  });

  it("shows hostile content sanitized and hostile names escaped", () => {
    const hostile = reply("x", {
      state: "pending",
      author: {
        actorId: 'https://evil.example/users/x"><script>alert(1)</script>',
        name: "<img src=x onerror=alert(1)>",
        handle: "@x@evil.example",
        avatarUrl: null,
        profileUrl: null,
      },
      html: '<p>Chào<script>alert(2)</script><a href="javascript:alert(3)">bấm</a><iframe src="https://evil.example/"></iframe></p>',
    });
    const page = queue([hostile]);
    expect(elementsNamed(page, "script")).toEqual([]);
    expect(elementsNamed(page, "img")).toEqual([]);
    expect(elementsNamed(page, "iframe")).toEqual([]);
    expect(page).not.toMatch(/alert\(2\)|javascript:/);
    const [entry] = entries(page);
    expect(entry && nodeText(entry)).toContain("<img src=x onerror=alert(1)> @x@evil.example");
    // The actor's id still reaches the block form intact, as a value.
    const blockActor = formsOf(page).find(([action]) => action === "/admin/blocks/actor");
    expect(blockActor?.[1].actor).toBe('https://evil.example/users/x"><script>alert(1)</script>');
  });

  it("says so when nothing waits", () => {
    const page = queue([]);
    expect(nodeText(treeOf(page))).toContain("Không có phản hồi nào chờ duyệt.");
    expect(entries(page)).toEqual([]);
    expect(blocksOf(page, "form")).toHaveLength(1); // logout only
  });

  it("counts what waits and links the next page by cursor", () => {
    const page = queue([reply("an", { state: "pending" })], { next: "a b&c", total: 1234 });
    expect(nodeText(treeOf(page))).toContain("1.234 phản hồi chờ duyệt.");
    const [next] = findAll(treeOf(page), (n) => n.attribs.rel === "next");
    expect(next?.attribs.href).toBe("/admin/replies?cursor=a+b%26c");
    expect(findAll(treeOf(queue([reply("an")])), (n) => n.attribs.rel === "next")).toEqual([]);
  });
});
