import { describe, expect, it } from "vitest";
import {
  festivalArticle,
  fixtureArticles,
  fixtureSite,
  hostileArticle,
  noticeArticle,
  seedArticle,
} from "../../tests/fixtures/articles.ts";
import { parseHistoryDoc } from "../../tests/helpers/feed-history.ts";
import type { Article } from "../content/types.ts";
import { createUrls } from "../urls.ts";
import {
  archiveIndex,
  archiveMonth,
  parseArchiveMonth,
  type RenderArchiveInput,
  renderArchive,
} from "./archive.ts";
import { FH_NAMESPACE } from "./history.ts";
import { renderFeeds } from "./render.ts";

const urls = createUrls(new URL("https://cualo.example"));
const site = fixtureSite;

const at = (slug: string, iso: string, extra: Partial<Article> = {}): Article => ({
  ...noticeArticle,
  slug,
  file: `articles/${slug}.md`,
  published: new Date(iso),
  ...extra,
});

/** March 2021 (the fixture), with January before it and May after it. */
const january = at("thang-mot", "2021-01-15T03:00:00Z");
const may = at("thang-nam", "2021-05-02T03:00:00Z");
const march: RenderArchiveInput = {
  site,
  urls,
  month: "2021-03",
  articles: fixtureArticles,
  prevMonth: "2021-01",
  nextMonth: "2021-05",
};

describe("archiveIndex", () => {
  it("groups by the month in the site's time zone, newest month first", () => {
    // 00:30 on 1 April in Cửa Lò is still 31 March in UTC.
    const aprilFirst = at("dau-thang-tu", "2021-03-31T17:30:00Z");
    const articles = [may, aprilFirst, ...fixtureArticles, january];
    const index = archiveIndex(articles, "Asia/Ho_Chi_Minh");
    expect(index.months).toEqual(["2021-05", "2021-04", "2021-03", "2021-01"]);
    expect(index.byMonth.get("2021-04")).toEqual([aprilFirst]);
    expect(index.byMonth.get("2021-03")).toEqual(fixtureArticles);
    expect(archiveIndex(articles, "UTC").byMonth.get("2021-03")).toEqual([
      aprilFirst,
      ...fixtureArticles,
    ]);
  });

  it("holds every article with a real date exactly once, and none without", () => {
    const broken = at("hong", "2021-02-01T00:00:00Z", { published: new Date("nonsense") });
    const index = archiveIndex([may, broken, ...fixtureArticles, january], site.timezone);
    const held = index.months.flatMap((month) => index.byMonth.get(month) ?? []);
    expect(held.map((a) => a.slug)).toEqual([may, ...fixtureArticles, january].map((a) => a.slug));
    expect(archiveIndex([], site.timezone)).toEqual({ months: [], byMonth: new Map() });
  });
});

describe("archiveMonth and parseArchiveMonth", () => {
  const index = archiveIndex([may, ...fixtureArticles, january], site.timezone);

  it("names the non-empty neighbours of a month", () => {
    expect(archiveMonth(index, "2021-03")).toEqual({
      month: "2021-03",
      articles: fixtureArticles,
      prevMonth: "2021-01",
      nextMonth: "2021-05",
    });
    expect(archiveMonth(index, "2021-05")).toEqual({
      month: "2021-05",
      articles: [may],
      prevMonth: "2021-03",
    });
    expect(archiveMonth(index, "2021-01")).toEqual({
      month: "2021-01",
      articles: [january],
      nextMonth: "2021-03",
    });
    expect(archiveMonth(index, "2021-02")).toBeUndefined();
  });

  it("reads a month from the URL's path segments, and nothing else", () => {
    expect(parseArchiveMonth("2021", "03")).toBe("2021-03");
    expect(parseArchiveMonth("2021", "12")).toBe("2021-12");
    for (const [year, month] of [
      ["2021", "13"],
      ["2021", "00"],
      ["2021", "3"],
      ["21", "03"],
      ["2021", "03.xml"],
      ["２０２１", "03"],
    ] as const) {
      expect(parseArchiveMonth(year, month), `${year}/${month}`).toBeUndefined();
    }
  });
});

describe("an archive document", () => {
  const docs = renderArchive(march);

  for (const kind of ["rss", "atom"] as const) {
    it(`${kind}: is marked fh:archive and links self, current and its older neighbour only`, async () => {
      const xml = docs[kind];
      expect(xml).toContain(`xmlns:fh="${FH_NAMESPACE}"`);
      const doc = await parseHistoryDoc(xml);
      expect(doc.archive).toBe(true);
      expect(Object.fromEntries(doc.links)).toMatchObject({
        self: urls.archive(kind, "2021-03"),
        current: kind === "rss" ? urls.rss() : urls.atom(),
        "prev-archive": urls.archive(kind, "2021-01"),
      });
      // A newer month appearing would change it: no next-archive (see archive.ts).
      expect(doc.links.has("next-archive")).toBe(false);
      expect(doc.ids).toEqual(fixtureArticles.map((a) => urls.article(a.slug)));
      expect(doc.title).toBe(`${site.title} — 2021-03`);
    });
  }

  it("has no prev-archive at the oldest month and no next-archive at the newest", async () => {
    const only = renderArchive({ site, urls, month: "2021-03", articles: fixtureArticles });
    for (const kind of ["rss", "atom"] as const) {
      const doc = await parseHistoryDoc(only[kind]);
      expect(doc.archive).toBe(true);
      expect(doc.links.has("prev-archive")).toBe(false);
      expect(doc.links.has("next-archive")).toBe(false);
      expect(doc.links.get("current")).toBeDefined();
    }
    expect(JSON.parse(only.json)).not.toHaveProperty("next_url");
  });

  it("json: links the next older month through next_url, and marks each item's language", () => {
    const feed = JSON.parse(docs.json);
    expect(feed.feed_url).toBe(urls.archive("json", "2021-03"));
    expect(feed.next_url).toBe(urls.archive("json", "2021-01"));
    expect(feed.items.map((i: { id: string }) => i.id)).toEqual(
      fixtureArticles.map((a) => urls.article(a.slug)),
    );
    const english = renderArchive({ ...march, articles: [{ ...seedArticle, language: "en" }] });
    expect(JSON.parse(english.json).items[0].language).toBe("en");
  });

  it("carries every article of its month, however many", async () => {
    const many = Array.from({ length: 150 }, (_, i) =>
      at(`bai-${i}`, new Date(Date.UTC(2021, 2, 30, 12) - i * 60_000).toISOString()),
    );
    const out = renderArchive({ ...march, articles: many });
    expect((await parseHistoryDoc(out.rss)).ids).toHaveLength(150);
    expect((await parseHistoryDoc(out.atom)).ids).toHaveLength(150);
    expect(JSON.parse(out.json).items).toHaveLength(150);
  });

  it("is as new as its newest change: an older article edited later moves it, the clock never", async () => {
    expect(docs.updated.toISOString()).toBe(seedArticle.published.toISOString());
    const edited = { ...noticeArticle, updated: new Date("2021-06-01T00:00:00Z") };
    const out = renderArchive({ ...march, articles: [seedArticle, festivalArticle, edited] });
    expect(out.updated.toISOString()).toBe("2021-06-01T00:00:00.000Z");
    expect((await parseHistoryDoc(out.rss)).lastBuildDate).toBe("Tue, 01 Jun 2021 00:00:00 GMT");
    expect((await parseHistoryDoc(out.atom)).lastBuildDate).toBe("2021-06-01T00:00:00.000Z");
    expect(renderArchive(march)).toEqual(docs);
  });

  it("atom: marks xml:lang on the entries in another language than the site's, and only those", () => {
    // A literal <entry> inside a CDATA section must not be taken for an entry.
    const decoy = { ...seedArticle, html: "<p>x</p><entry><title>y</title></entry>" };
    const english = { ...festivalArticle, language: "en" };
    const out = renderArchive({ ...march, articles: [decoy, english, noticeArticle] });
    const entries = [...out.atom.matchAll(/^ {4}<entry( xml:lang="[^"]*")?>$/gm)];
    expect(entries.map((m) => m[1] ?? "")).toEqual(["", ' xml:lang="en"', ""]);
    expect(out.atom).toContain("<![CDATA[<p>x</p><entry><title>y</title></entry>]]>");
    expect(out.atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(out.atom).toMatch(/<feed [^>]*xml:lang="vi"/);
  });

  it("stays well-formed with hostile text", async () => {
    const out = renderArchive({ ...march, articles: [hostileArticle, ...fixtureArticles] });
    expect((await parseHistoryDoc(out.rss)).ids).toHaveLength(4);
    expect((await parseHistoryDoc(out.atom)).ids).toHaveLength(4);
    expect(JSON.parse(out.json).items).toHaveLength(4);
  });
});

describe("the subscription feeds with an archive", () => {
  const plain = renderFeeds({ site, articles: fixtureArticles, urls, limit: 2 });
  const linked = renderFeeds({
    site,
    articles: fixtureArticles,
    urls,
    limit: 2,
    newestArchive: "2021-03",
  });

  it("link the newest month as prev-archive (JSON Feed: next_url) and are no archive", async () => {
    for (const kind of ["rss", "atom"] as const) {
      const doc = await parseHistoryDoc(linked[kind]);
      expect(doc.archive).toBe(false);
      expect(doc.links.get("prev-archive")).toBe(urls.archive(kind, "2021-03"));
      expect(doc.links.has("current")).toBe(false);
      expect(doc.links.has("next-archive")).toBe(false);
      expect(linked[kind]).not.toContain("xmlns:fh");
    }
    expect(JSON.parse(linked.json).next_url).toBe(urls.archive("json", "2021-03"));
  });

  it("change in nothing else", () => {
    expect(
      linked.rss.replace(
        `\n        <atom:link href="${urls.archive("rss", "2021-03")}" rel="prev-archive" type="application/rss+xml"/>`,
        "",
      ),
    ).toBe(plain.rss);
    expect(
      linked.atom.replace(
        `\n    <link rel="prev-archive" href="${urls.archive("atom", "2021-03")}"/>`,
        "",
      ),
    ).toBe(plain.atom);
    const { next_url, ...rest } = JSON.parse(linked.json);
    expect(next_url).toBeDefined();
    expect(rest).toEqual(JSON.parse(plain.json));
    expect(linked.updated).toEqual(plain.updated);
  });
});

describe("snapshots of March 2021's archive", () => {
  const docs = renderArchive({
    ...march,
    articles: [hostileArticle, seedArticle, { ...festivalArticle, language: "en" }, noticeArticle],
  });
  it("RSS", () => expect(docs.rss).toMatchSnapshot());
  it("Atom", () => expect(docs.atom).toMatchSnapshot());
  it("JSON Feed", () => expect(docs.json).toMatchSnapshot());
});
