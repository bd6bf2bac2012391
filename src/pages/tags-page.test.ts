import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fixtureArticles, fixtureSite } from "../../tests/fixtures/articles.ts";
import { countTags } from "../content/tags.ts";
import { createUrls } from "../urls.ts";
import { renderIndexPage } from "./index-page.ts";
import { PAGE_CSP } from "./style.ts";
import { renderTagsPage } from "./tags-page.ts";

const urls = createUrls(new URL("https://cualo.example"));
const site = fixtureSite;

/** The tags page's list: each link's target, its text and the count after it. */
function listed(page: string) {
  return [
    ...page.matchAll(
      /<li><a rel="tag" href="([^"]+)">#([^<]+)<\/a> <span class="count">(\d+) bài viết<\/span><\/li>/g,
    ),
  ].map((m) => ({ href: m[1], name: m[2], count: Number(m[3]) }));
}

describe("/tags", () => {
  it("lists every tag with its article count, linking to its page, in Vietnamese order", () => {
    const tags = [
      { name: "Giáo dục", count: 2 },
      { name: "Đô thị", count: 7 },
      { name: "Ấn phẩm", count: 1 },
      { name: "An ninh", count: 4 },
      { name: "Bầu cử", count: 3 },
    ];
    const page = renderTagsPage({ site, urls, tags });
    expect(listed(page)).toEqual([
      { href: urls.tag("An ninh"), name: "An ninh", count: 4 },
      { href: urls.tag("Ấn phẩm"), name: "Ấn phẩm", count: 1 },
      { href: urls.tag("Bầu cử"), name: "Bầu cử", count: 3 },
      { href: urls.tag("Đô thị"), name: "Đô thị", count: 7 },
      { href: urls.tag("Giáo dục"), name: "Giáo dục", count: 2 },
    ]);
    expect(page).toContain(`<title>Chủ đề – ${site.title}</title>`);
    expect(page).toContain('<link rel="canonical" href="https://cualo.example/tags">');
    expect(page).toContain('<a href="https://cualo.example/feeds.opml" type="text/x-opml">');
  });

  it("counts what countTags counts from the articles", () => {
    const page = renderTagsPage({ site, urls, tags: countTags(fixtureArticles) });
    expect(listed(page).map((t) => `${t.name}:${t.count}`)).toEqual([
      "Cải cách hành chính:1",
      "Du lịch:1",
      "Hội nghị:1",
    ]);
  });

  it("escapes tag names and says so when there is none", () => {
    const page = renderTagsPage({ site, urls, tags: [{ name: "<b>x</b>", count: 1 }] });
    expect(page).not.toContain("<b>x</b>");
    expect(page).toContain("#&lt;b&gt;x&lt;/b&gt;");
    expect(renderTagsPage({ site, urls, tags: [] })).toContain("<p>Chưa có chủ đề nào.</p>");
  });

  it("keeps to the pages' CSP: one <style>, no script but JSON-LD, no inline style", () => {
    const page = renderTagsPage({ site, urls, tags: countTags(fixtureArticles) });
    expect(page.match(/<style>/g)).toHaveLength(1);
    const css = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? "";
    const hash = createHash("sha256").update(css, "utf8").digest("base64");
    expect(PAGE_CSP).toContain(`style-src 'sha256-${hash}'`);
    expect(page).not.toMatch(/<script(?![^>]*type="application\/ld\+json")/);
    expect(page).not.toMatch(/ style=/);
  });
});

describe("a tag page", () => {
  const page = renderIndexPage({
    site,
    articles: fixtureArticles.slice(1, 2),
    page: 1,
    totalPages: 1,
    urls,
    tag: "Du lịch",
  });
  const alternates = [
    ...page.matchAll(/<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)">/g),
  ].map((m) => ({ type: m[1], title: m[2], href: m[3] }));

  it("announces the tag's three feeds after the site's", () => {
    expect(alternates).toEqual([
      { type: "application/rss+xml", title: `${site.title} (RSS)`, href: urls.rss() },
      { type: "application/atom+xml", title: `${site.title} (Atom)`, href: urls.atom() },
      { type: "application/feed+json", title: `${site.title} (JSON Feed)`, href: urls.jsonFeed() },
      {
        type: "application/rss+xml",
        title: `${site.title} — Du lịch (RSS)`,
        href: urls.tagFeed("rss", "Du lịch"),
      },
      {
        type: "application/atom+xml",
        title: `${site.title} — Du lịch (Atom)`,
        href: urls.tagFeed("atom", "Du lịch"),
      },
      {
        type: "application/feed+json",
        title: `${site.title} — Du lịch (JSON Feed)`,
        href: urls.tagFeed("json", "Du lịch"),
      },
    ]);
  });

  it("while the home page announces the site's alone", () => {
    const home = renderIndexPage({ site, articles: fixtureArticles, page: 1, totalPages: 1, urls });
    expect(home.match(/<link rel="alternate" type="application\/(rss|atom|feed)/g)).toHaveLength(3);
  });
});
