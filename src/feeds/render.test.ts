import Parser from "rss-parser";
import { describe, expect, it } from "vitest";
import {
  festivalArticle,
  fixtureArticles,
  fixtureSite,
  hostileArticle,
  noticeArticle,
  seedArticle,
} from "../../tests/fixtures/articles.ts";
import type { Article } from "../content/types.ts";
import { createUrls } from "../urls.ts";
import {
  ATOM_CONTENT_TYPE,
  JSON_FEED_CONTENT_TYPE,
  RSS_CONTENT_TYPE,
  renderFeeds,
} from "./render.ts";

const urls = createUrls(new URL("https://cualo.example"));
const render = (articles: Article[] = fixtureArticles, limit = 50) =>
  renderFeeds({ site: fixtureSite, articles, urls, limit });

interface Extra {
  creators?: string[];
  atomCategories?: { $: { term?: string; label?: string } }[];
  atomAuthors?: { name: string[] }[];
  atomLinks?: { $: { rel?: string; href: string; type?: string; length?: string } }[];
  updated?: string;
  id?: string;
  "content:encoded"?: string;
}

/** rss-parser (xml2js, strict) plus the raw elements it does not map. */
const parser = new Parser<Record<string, unknown>, Extra>({
  customFields: {
    item: [
      ["dc:creator", "creators", { keepArray: true }],
      ["category", "atomCategories", { keepArray: true }],
      ["author", "atomAuthors", { keepArray: true }],
      ["link", "atomLinks", { keepArray: true }],
      "updated",
      "id",
    ],
  },
});

/** What a reader does with Atom's type="html" text. */
function decodeHtml(text: string): string {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

// What the hostile strings look like once XML-illegal characters are gone.
const hostileTitle = hostileArticle.title.replace("\u0007", "");
const hostileSummary = (hostileArticle.summary ?? "").replace("\u0001", "");

describe("RSS 2.0", () => {
  it("carries titles, links, guids, dates, bylines, categories and the enclosure", async () => {
    const feed = await parser.parseString(render().rss);
    expect(feed.title).toBe(fixtureSite.title);
    expect(feed.link).toBe("https://cualo.example/");
    expect(feed.feedUrl).toBe("https://cualo.example/rss.xml");
    expect(feed.language).toBe("vi");
    expect(feed.lastBuildDate).toBe("Thu, 18 Mar 2021 08:00:00 GMT");
    expect(feed.image?.url).toBe("https://cualo.example/media/logo.png");
    expect(feed.items.map((i) => i.title)).toEqual(fixtureArticles.map((a) => a.title));
    expect(feed.items[0]?.title).toBe(
      "Cửa Lò tham dự hội nghị trực tuyến toàn quốc tổng kết 10 năm chương trình tổng thể cải cách hành chính",
    );
    expect(feed.items.map((i) => i.link)).toEqual(fixtureArticles.map((a) => urls.article(a.slug)));
    expect(feed.items.map((i) => i.guid)).toEqual(fixtureArticles.map((a) => urls.article(a.slug)));
    expect(feed.items.map((i) => i.isoDate)).toEqual(
      fixtureArticles.map((a) => a.published.toISOString()),
    );
    const [seed, festival, notice] = feed.items;
    expect(seed?.creators).toEqual(["Dương Tân – Duy Quý"]);
    expect(festival?.creators).toEqual(["Nguyễn Văn An", "Trần Thị Bình"]);
    expect(notice?.creators).toBeUndefined();
    expect(seed?.categories).toEqual(["Cải cách hành chính", "Hội nghị"]);
    expect(seed?.enclosure).toEqual({
      url: "https://cualo.example/media/images/hoi-nghi.jpg",
      type: "image/jpeg",
      length: "48213",
    });
    expect(festival?.enclosure).toBeUndefined();
    expect(seed?.contentSnippet).toBe(seedArticle.summary);
    expect(seed?.["content:encoded"]).toContain(
      '<img src="https://cualo.example/media/images/hoi-nghi.jpg"',
    );
    // No summary: the description is an excerpt of the body.
    expect(notice?.contentSnippet).toBe(
      "Chủ tịch UBND thị xã tiếp công dân vào thứ Năm hằng tuần.",
    );
  });

  it("never writes <author> (it must be an e-mail address)", () => {
    expect(render().rss).not.toMatch(/<author>/);
  });
});

describe("Atom 1.0", () => {
  it("carries titles, ids, links, dates, authors, categories with term, and the enclosure", async () => {
    const { atom } = render();
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">');
    const feed = await parser.parseString(atom);
    expect(feed.title).toBe(fixtureSite.title);
    expect(feed.link).toBe("https://cualo.example/");
    expect(feed.feedUrl).toBe("https://cualo.example/atom.xml");
    expect(feed.lastBuildDate).toBe("2021-03-18T08:00:00.000Z");
    expect(feed.items.map((i) => decodeHtml(i.title ?? ""))).toEqual(
      fixtureArticles.map((a) => a.title),
    );
    expect(feed.items.map((i) => i.id)).toEqual(fixtureArticles.map((a) => urls.article(a.slug)));
    expect(feed.items.map((i) => i.link)).toEqual(fixtureArticles.map((a) => urls.article(a.slug)));
    expect(feed.items.map((i) => i.isoDate)).toEqual(
      fixtureArticles.map((a) => a.published.toISOString()),
    );
    const [seed, festival, notice] = feed.items;
    expect(festival?.updated).toBe(festivalArticle.updated?.toISOString());
    expect(seed?.atomAuthors?.map((a) => a.name[0])).toEqual(["Dương Tân – Duy Quý"]);
    expect(festival?.atomAuthors?.map((a) => a.name[0])).toEqual([
      "Nguyễn Văn An",
      "Trần Thị Bình",
    ]);
    // Without a byline the entry inherits the feed's author.
    expect(notice?.atomAuthors).toBeUndefined();
    expect(atom).toMatch(/<author>\s*<name>Thị xã Cửa Lò<\/name>/);
    expect(seed?.atomCategories?.map((c) => c.$.term)).toEqual(["Cải cách hành chính", "Hội nghị"]);
    expect(seed?.atomLinks?.find((l) => l.$.rel === "enclosure")?.$).toEqual({
      rel: "enclosure",
      href: "https://cualo.example/media/images/hoi-nghi.jpg",
      type: "image/jpeg",
      length: "48213",
    });
    expect(decodeHtml(seed?.summary ?? "")).toBe(seedArticle.summary);
  });

  it("gives enclosures their real MIME type, whatever the URL looks like", async () => {
    const odd: Article = {
      ...noticeArticle,
      image: { url: "https://cdn.example/img?id=1&size=2", alt: "", mediaType: "image/png" },
    };
    const { atom, rss } = render([odd]);
    const [entry] = (await parser.parseString(atom)).items;
    expect(entry?.atomLinks?.find((l) => l.$.rel === "enclosure")?.$).toMatchObject({
      href: "https://cdn.example/img?id=1&size=2",
      type: "image/png",
    });
    const [item] = (await parser.parseString(rss)).items;
    // A remote image's size is unknown: RSS gets the conventional 0, Atom no length.
    expect(item?.enclosure).toEqual({
      url: "https://cdn.example/img?id=1&size=2",
      type: "image/png",
      length: "0",
    });
    expect(entry?.atomLinks?.find((l) => l.$.rel === "enclosure")?.$.length).toBeUndefined();
  });
});

describe("JSON Feed 1.1", () => {
  it("has the 1.1 fields, for the feed and every item", () => {
    const feed = JSON.parse(render().json);
    expect(feed).toMatchObject({
      version: "https://jsonfeed.org/version/1.1",
      title: fixtureSite.title,
      home_page_url: "https://cualo.example/",
      feed_url: "https://cualo.example/feed.json",
      description: fixtureSite.description,
      language: "vi",
      icon: "https://cualo.example/media/logo.png",
      authors: [{ name: "Thị xã Cửa Lò" }],
    });
    expect(feed).not.toHaveProperty("author");
    expect(feed.items).toHaveLength(3);
    expect(feed.items[0]).toEqual({
      id: "https://cualo.example/articles/cai-cach-hanh-chinh",
      url: "https://cualo.example/articles/cai-cach-hanh-chinh",
      title: seedArticle.title,
      content_html: expect.stringContaining(
        'src="https://cualo.example/media/images/hoi-nghi.jpg"',
      ),
      summary: seedArticle.summary,
      image: "https://cualo.example/media/images/hoi-nghi.jpg",
      date_published: "2021-03-18T08:00:00.000Z",
      date_modified: "2021-03-18T08:00:00.000Z",
      tags: ["Cải cách hành chính", "Hội nghị"],
      authors: [{ name: "Dương Tân – Duy Quý" }],
      language: "vi",
    });
    expect(feed.items[1].authors).toEqual([{ name: "Nguyễn Văn An" }, { name: "Trần Thị Bình" }]);
    expect(feed.items[1].date_modified).toBe("2021-03-12T03:00:00.000Z");
    for (const item of feed.items) {
      expect(item.id).toEqual(expect.any(String));
      expect(item.content_html).toEqual(expect.any(String));
    }
  });
});

describe("hostile text", () => {
  const feeds = render([hostileArticle, ...fixtureArticles]);

  it("comes out as text in RSS", async () => {
    const [item] = (await parser.parseString(feeds.rss)).items;
    expect(item?.title).toBe(hostileTitle);
    expect(item?.creators).toEqual(['Kẻ <b>xấu</b> & "bạn"']);
    expect(item?.categories).toEqual(["C&D <x>", "An ninh"]);
    // <description> is HTML to readers: the plain summary arrives escaped.
    expect(item?.contentSnippet).toBe(hostileSummary);
    expect(item?.content).not.toContain("<img");
  });

  it("comes out as text in Atom", async () => {
    const [entry] = (await parser.parseString(feeds.atom)).items;
    expect(decodeHtml(entry?.title ?? "")).toBe(hostileTitle);
    expect(decodeHtml(entry?.summary ?? "")).toBe(hostileSummary);
    expect(entry?.atomAuthors?.[0]?.name[0]).toBe('Kẻ <b>xấu</b> & "bạn"');
    expect(entry?.content).toContain("Nội dung ]]&gt; an toàn");
  });

  it("comes out as text in JSON Feed", () => {
    const [item] = JSON.parse(feeds.json).items;
    expect(item.title).toBe(hostileTitle);
    expect(item.summary).toBe(hostileSummary);
  });

  it("loses only its XML-illegal control characters", () => {
    for (const doc of [feeds.rss, feeds.atom, feeds.json]) {
      // The fixture's bell (title), SOH (summary) and backspace (body).
      for (const control of ["\u0007", "\u0001", "\u0008"]) expect(doc).not.toContain(control);
      expect(doc).not.toMatch(/\\u000[0-8]/);
    }
  });

  it("keeps a literal &amp; in a title as written", async () => {
    const article = { ...noticeArticle, title: "AT&amp;T và R&D" };
    const { rss, atom } = render([article]);
    expect((await parser.parseString(rss)).items[0]?.title).toBe("AT&amp;T và R&D");
    expect(decodeHtml((await parser.parseString(atom)).items[0]?.title ?? "")).toBe(
      "AT&amp;T và R&D",
    );
  });
});

describe("updated and limit", () => {
  it("is the newest article's date, and the output is identical between calls", () => {
    const first = render();
    expect(first.updated.toISOString()).toBe("2021-03-18T08:00:00.000Z");
    expect(render()).toEqual(first);
  });

  it("moves when an older article is edited later", async () => {
    const edited = { ...noticeArticle, updated: new Date("2021-04-01T00:00:00Z") };
    const feeds = render([seedArticle, festivalArticle, edited]);
    expect(feeds.updated.toISOString()).toBe("2021-04-01T00:00:00.000Z");
    expect((await parser.parseString(feeds.rss)).lastBuildDate).toBe(
      "Thu, 01 Apr 2021 00:00:00 GMT",
    );
  });

  it("is a fixed epoch for an empty site, whose feeds still parse", async () => {
    const feeds = render([]);
    expect(feeds.updated.getTime()).toBe(0);
    expect((await parser.parseString(feeds.rss)).items).toEqual([]);
    expect((await parser.parseString(feeds.atom)).items).toEqual([]);
    expect(JSON.parse(feeds.json).items).toEqual([]);
  });

  it("carries only the newest `limit` articles", async () => {
    const feeds = render(fixtureArticles, 2);
    const slugs = [seedArticle, festivalArticle].map((a) => urls.article(a.slug));
    expect((await parser.parseString(feeds.rss)).items.map((i) => i.link)).toEqual(slugs);
    expect((await parser.parseString(feeds.atom)).items.map((i) => i.link)).toEqual(slugs);
    expect(JSON.parse(feeds.json).items.map((i: { url: string }) => i.url)).toEqual(slugs);
    expect(feeds.updated.toISOString()).toBe("2021-03-18T08:00:00.000Z");
  });

  it("leaves out an article whose date is invalid instead of failing", async () => {
    const broken = { ...seedArticle, slug: "broken", published: new Date("nonsense") };
    const feeds = render([broken, festivalArticle]);
    expect((await parser.parseString(feeds.atom)).items.map((i) => i.link)).toEqual([
      urls.article(festivalArticle.slug),
    ]);
    expect(feeds.rss).not.toContain("Invalid Date");
  });
});

describe("content types", () => {
  it("are the registered media types in UTF-8", () => {
    expect([RSS_CONTENT_TYPE, ATOM_CONTENT_TYPE, JSON_FEED_CONTENT_TYPE]).toEqual([
      "application/rss+xml; charset=utf-8",
      "application/atom+xml; charset=utf-8",
      "application/feed+json; charset=utf-8",
    ]);
  });
});

describe("snapshots of the fixed fixture", () => {
  const feeds = render([hostileArticle, ...fixtureArticles]);
  it("RSS", () => expect(feeds.rss).toMatchSnapshot());
  it("Atom", () => expect(feeds.atom).toMatchSnapshot());
  it("JSON Feed", () => expect(feeds.json).toMatchSnapshot());
});
