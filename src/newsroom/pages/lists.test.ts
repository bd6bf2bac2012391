import { describe, expect, it } from "vitest";
import { fixtureSite } from "../../../tests/fixtures/articles.ts";
import { reply } from "../../../tests/fixtures/replies.ts";
import {
  blocksOf,
  byClass,
  elementsNamed,
  findAll,
  nodeText,
  type TreeNode,
  treeOf,
} from "../../../tests/helpers/html.ts";
import type { ActivityProgress } from "../../storage/deliveries.ts";
import { createUrls } from "../../urls.ts";
import { renderBlocks } from "./blocks.ts";
import { renderDeliveries } from "./deliveries.ts";
import { renderFollowers } from "./followers.ts";
import { renderMentions } from "./mentions.ts";

const site = fixtureSite;
const urls = createUrls(new URL("https://cualo.example"));
const csrfToken = "tok-l";

/** The `<li>`s of the page's main list. */
function entries(page: string, listClass = "items"): TreeNode[] {
  const list = findAll(
    treeOf(page),
    (n) => (n.name === "ol" || n.name === "ul") && n.attribs.class === listClass,
  )[0];
  return list ? list.children.filter((c): c is TreeNode => typeof c !== "string") : [];
}

describe("renderMentions", () => {
  it("lists each mention with who could see it, its article, and the reply itself", () => {
    const page = renderMentions({
      site,
      urls,
      csrfToken,
      mentions: [
        reply("an", { kind: "mention", visibility: "public", slug: null }),
        reply("binh", { kind: "mention", visibility: "followers" }),
        reply("chi", {
          kind: "mention",
          visibility: "direct",
          html: "<p>Riêng <script>x</script></p>",
        }),
      ],
      articleTitles: new Map([["cai-cach-hanh-chinh", "Cải cách"]]),
    });
    const texts = entries(page).map(nodeText);
    expect(texts[0]).toMatch(/^Hiển thị: công khai · nhận lúc Thứ Năm, 18\/03\/2021 16:30 an /);
    expect(texts[1]).toContain("Hiển thị: chỉ người theo dõi · nhận lúc");
    expect(texts[1]).toContain("bài viết: Cải cách");
    expect(texts[2]).toContain("Hiển thị: riêng tư");
    expect(texts[2]).toContain("Riêng");
    expect(elementsNamed(page, "script")).toEqual([]);
    // Read-only: the only form is the logout.
    expect(blocksOf(page, "form")).toHaveLength(1);
  });

  it("says so when there are none", () => {
    const page = renderMentions({ site, urls, csrfToken, mentions: [] });
    expect(nodeText(treeOf(page))).toContain("Chưa có ai nhắc đến tài khoản của thị xã.");
  });
});

describe("renderFollowers", () => {
  it("gives the total, the servers and the followers with when they followed", () => {
    const page = renderFollowers({
      site,
      csrfToken,
      count: 1502,
      servers: [
        { host: "mastodon.social", count: 1500 },
        { host: "<b>odd</b>.example", count: 2 },
      ],
      followers: [
        {
          actorId: "https://mastodon.social/users/an",
          createdAt: new Date("2021-03-01T01:00:00Z"),
        },
        { actorId: "javascript:alert(1)", createdAt: new Date("2021-03-02T01:00:00Z") },
      ],
      next: "f2",
    });
    const tree = treeOf(page);
    expect(nodeText(tree)).toContain("1.502 người theo dõi trên 2 máy chủ.");
    const rows = findAll(tree, (n) => n.name === "tr").map(nodeText);
    expect(rows).toEqual([
      "Máy chủ Người theo dõi",
      "mastodon.social 1.500",
      "<b>odd</b>.example 2",
    ]);
    expect(findAll(tree, (n) => n.name === "th").map((th) => th.attribs.scope)).toEqual([
      "col",
      "col",
    ]);
    const followers = entries(page, "rows");
    expect(followers.map(nodeText)).toEqual([
      "https://mastodon.social/users/an Theo dõi từ Thứ Hai, 01/03/2021 08:00",
      "javascript:alert(1) Theo dõi từ Thứ Ba, 02/03/2021 08:00",
    ]);
    const links = followers.flatMap((li) => findAll(li, (n) => n.name === "a"));
    expect(links.map((a) => a.attribs.href)).toEqual(["https://mastodon.social/users/an"]);
    expect(findAll(tree, (n) => n.attribs.rel === "next")[0]?.attribs.href).toBe(
      "/admin/followers?cursor=f2",
    );
  });

  it("says so when nobody follows", () => {
    const page = renderFollowers({ site, csrfToken, count: 0, servers: [], followers: [] });
    expect(nodeText(treeOf(page))).toContain("Chưa có ai theo dõi tài khoản của thị xã.");
    expect(elementsNamed(page, "table")).toEqual([]);
  });
});

describe("renderDeliveries", () => {
  const activity = (overrides: Partial<ActivityProgress> = {}): ActivityProgress => ({
    activityId: "https://cualo.example/activities/cai-cach-hanh-chinh/create/1",
    firstAt: new Date("2021-03-18T08:00:01Z"),
    pending: 1,
    delivered: 8,
    failed: 1,
    failingHosts: ["down.example", "slow.example:8443"],
    ...overrides,
  });

  it("shows per activity a progress bar, the counts and the failing servers", () => {
    const page = renderDeliveries({ site, csrfToken, activities: [activity()] });
    const [entry] = entries(page);
    const [bar] = entry ? findAll(entry, (n) => n.name === "progress") : [];
    expect(bar?.attribs).toMatchObject({ max: "10", value: "8" });
    const [label] = entry ? findAll(entry, (n) => n.name === "label") : [];
    expect(label?.attribs.for).toBe(bar?.attribs.id);
    expect(label && nodeText(label)).toBe("Đã gửi tới 8/10 máy chủ (80%)");
    const text = entry ? nodeText(entry) : "";
    expect(text).toContain("/activities/cai-cach-hanh-chinh/create/1");
    expect(text).toContain("Bắt đầu gửi: Thứ Năm, 18/03/2021 15:00");
    expect(text).toContain("Đã gửi: 8 Đang chờ: 1 Thất bại: 1");
    expect(text).toContain("Máy chủ đang lỗi: down.example slow.example:8443");
  });

  it("names an activity by its label when given one, and leaves out the failing list when none fail", () => {
    const a = activity({ failingHosts: [], pending: 0, failed: 0 });
    const page = renderDeliveries({
      site,
      csrfToken,
      activities: [a],
      labels: new Map([[a.activityId, "Bài mới: <Cải cách>"]]),
    });
    const [heading] = findAll(treeOf(page), (n) => n.name === "h2");
    expect(heading && nodeText(heading)).toBe("Bài mới: <Cải cách>");
    expect(nodeText(treeOf(page))).not.toContain("Máy chủ đang lỗi");
    expect(nodeText(treeOf(page))).toContain("(100%)");
  });

  it("gives each bar its own label, and copes with an activity not yet sent anywhere", () => {
    const page = renderDeliveries({
      site,
      csrfToken,
      activities: [
        activity(),
        activity({ activityId: "urn:x", pending: 0, delivered: 0, failed: 0 }),
      ],
    });
    const bars = elementsNamed(page, "progress");
    expect(new Set(bars.map((b) => b.attribs.id)).size).toBe(2);
    expect(bars[1]?.attribs).toMatchObject({ max: "1", value: "0" });
    const second = entries(page)[1];
    expect(second && findAll(second, (n) => n.name === "a")).toEqual([]);
  });

  it("says so when nothing was sent", () => {
    const page = renderDeliveries({ site, csrfToken, activities: [] });
    expect(nodeText(treeOf(page))).toContain("Chưa có hoạt động nào được gửi đi.");
  });
});

describe("renderBlocks", () => {
  const blocks = [
    {
      kind: "domain" as const,
      value: "spam.example",
      createdAt: new Date("2021-03-18T08:00:00Z"),
      by: "alice",
    },
    {
      kind: "actor" as const,
      value: 'https://x.example/users/"><script>alert(1)</script>',
      createdAt: new Date("2021-03-19T08:00:00Z"),
      by: null,
    },
  ];

  it("lists each block with an unblock form naming its kind and value", () => {
    const page = renderBlocks({ site, csrfToken, blocks });
    expect(elementsNamed(page, "script")).toEqual([]);
    const items = entries(page);
    expect(items.map((li) => nodeText(byClass(li, "p", "muted")[0] ?? li))).toEqual([
      "Chặn lúc Thứ Năm, 18/03/2021 15:00 bởi alice",
      "Chặn lúc Thứ Sáu, 19/03/2021 15:00",
    ]);
    const unblock = blocksOf(page, "form").filter((f) =>
      f.includes('action="/admin/blocks/remove"'),
    );
    const fields = unblock.map((form) =>
      Object.fromEntries(
        elementsNamed(form, "input").map((i) => [i.attribs.name, i.attribs.value]),
      ),
    );
    expect(fields).toEqual([
      { csrf: csrfToken, kind: "domain", value: "spam.example" },
      { csrf: csrfToken, kind: "actor", value: blocks[1]?.value },
    ]);
  });

  it("offers to block a server or an account by hand", () => {
    const page = renderBlocks({ site, csrfToken, blocks: [] });
    const adding = blocksOf(page, "form").filter((f) => f.includes('class="add"'));
    expect(
      adding.map((form) => [
        elementsNamed(form, "form")[0]?.attribs.action,
        elementsNamed(form, "input").map((i) => i.attribs.name),
      ]),
    ).toEqual([
      ["/admin/blocks/domain", ["csrf", "domain"]],
      ["/admin/blocks/actor", ["csrf", "actor"]],
    ]);
    expect(nodeText(treeOf(page))).toContain("Chưa chặn tài khoản hay máy chủ nào.");
  });
});
