/**
 * The complete history of a site with several hundred articles over several
 * years, walked as an RFC 5005 client walks it: from the subscription feed
 * along `prev-archive` (RSS and Atom) or `next_url` (JSON Feed), fetching each
 * URL from the set of rendered documents.
 */
import { describe, expect, it } from "vitest";
import type { Article } from "../../src/content/types.ts";
import { archiveIndex, archiveMonth, renderArchive } from "../../src/feeds/archive.ts";
import { type RenderedFeeds, renderFeeds } from "../../src/feeds/render.ts";
import { createUrls } from "../../src/urls.ts";
import { fixtureSite } from "../fixtures/articles.ts";
import { manyArticles } from "../fixtures/many-articles.ts";
import { parseHistoryDoc } from "../helpers/feed-history.ts";

const site = fixtureSite;
const urls = createUrls(new URL("https://cualo.example"));
const LIMIT = 20;
const ARTICLES = manyArticles(480);

interface Site {
  months: string[];
  feeds: RenderedFeeds;
  archives: Map<string, RenderedFeeds>;
  /** Every rendered document by its URL: what an HTTP client could fetch. */
  served: Map<string, string>;
}

function renderSite(articles: Article[]): Site {
  const index = archiveIndex(articles, site.timezone);
  const feeds = renderFeeds({ site, articles, urls, limit: LIMIT, newestArchive: index.months[0] });
  const served = new Map([
    [urls.rss(), feeds.rss],
    [urls.atom(), feeds.atom],
    [urls.jsonFeed(), feeds.json],
  ]);
  const archives = new Map<string, RenderedFeeds>();
  for (const month of index.months) {
    const input = archiveMonth(index, month);
    if (!input) throw new Error(`month ${month} vanished from its own index`);
    const docs = renderArchive({ site, urls, ...input });
    archives.set(month, docs);
    for (const kind of ["rss", "atom", "json"] as const) {
      served.set(urls.archive(kind, month), docs[kind]);
    }
  }
  return { months: index.months, feeds, archives, served };
}

function fetchDoc(served: Map<string, string>, url: string): string {
  const body = served.get(url);
  if (body === undefined) throw new Error(`404: ${url} is linked but not rendered`);
  return body;
}

/** Follows `prev-archive` from the subscription feed; returns each archive's URL and entries. */
async function walkXml(served: Map<string, string>, kind: "rss" | "atom") {
  const current = kind === "rss" ? urls.rss() : urls.atom();
  const subscription = await parseHistoryDoc(fetchDoc(served, current));
  expect(subscription.archive).toBe(false);
  expect(subscription.ids).toHaveLength(LIMIT);
  const visited: { url: string; ids: string[]; next?: string }[] = [];
  let url = subscription.links.get("prev-archive");
  while (url !== undefined) {
    if (visited.some((doc) => doc.url === url))
      throw new Error(`prev-archive loops back to ${url}`);
    const doc = await parseHistoryDoc(fetchDoc(served, url));
    expect(doc.archive, url).toBe(true);
    expect(doc.links.get("current"), url).toBe(current);
    expect(doc.links.get("self"), url).toBe(url);
    for (const count of doc.linkCounts.values()) expect(count, url).toBe(1);
    visited.push({ url, ids: doc.ids, next: doc.links.get("next-archive") });
    url = doc.links.get("prev-archive");
  }
  return visited;
}

const allUrls = (articles: Article[]) => articles.map((a) => urls.article(a.slug)).sort();

describe("the complete history of 480 articles", () => {
  const rendered = renderSite(ARTICLES);

  it("spans several years with empty months between, grouped in the site's time zone", () => {
    const years = new Set(rendered.months.map((m) => m.slice(0, 4)));
    expect(years.size).toBeGreaterThanOrEqual(4);
    // Some calendar months between the oldest and the newest have no article.
    const [newest = "", oldest = ""] = [rendered.months[0], rendered.months.at(-1)];
    const span =
      (Number(newest.slice(0, 4)) - Number(oldest.slice(0, 4))) * 12 +
      Number(newest.slice(5)) -
      Number(oldest.slice(5)) +
      1;
    expect(rendered.months.length).toBeLessThan(span);
  });

  for (const kind of ["rss", "atom"] as const) {
    it(`${kind}: prev-archive from the subscription feed reaches every article exactly once`, async () => {
      const visited = await walkXml(rendered.served, kind);
      expect(visited).toHaveLength(rendered.months.length);
      const ids = visited.flatMap((doc) => doc.ids);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(allUrls(ARTICLES));
      // No archive names a newer one: that link would change when a newer month appears.
      for (const doc of visited) expect(doc.next, doc.url).toBeUndefined();
      // Each archive lists its entries newest first.
      const order = new Map(ARTICLES.map((a, i) => [urls.article(a.slug), i]));
      for (const doc of visited) {
        const positions = doc.ids.map((id) => order.get(id) ?? -1);
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
      }
    });
  }

  it("json: next_url from /feed.json pages through every article exactly once", () => {
    const first = JSON.parse(fetchDoc(rendered.served, urls.jsonFeed()));
    expect(first.items).toHaveLength(LIMIT);
    const ids: string[] = [];
    const seen = new Set<string>();
    let url: string | undefined = first.next_url;
    while (url !== undefined) {
      expect(seen.has(url), url).toBe(false);
      seen.add(url);
      const page = JSON.parse(fetchDoc(rendered.served, url));
      expect(page.version).toBe("https://jsonfeed.org/version/1.1");
      expect(page.feed_url).toBe(url);
      ids.push(...page.items.map((item: { id: string }) => item.id));
      url = page.next_url;
    }
    expect(seen.size).toBe(rendered.months.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(allUrls(ARTICLES));
  });

  it("a new article in the newest month changes that month's archive only", () => {
    const newest = ARTICLES[0] as Article;
    const added: Article = {
      ...newest,
      slug: "bai-moi",
      published: new Date(newest.published.getTime() + 60_000),
      updated: undefined,
    };
    const after = renderSite([added, ...ARTICLES]);
    expect(after.months).toEqual(rendered.months);
    const [newestMonth, ...older] = rendered.months;
    for (const month of older)
      expect(after.archives.get(month), month).toEqual(rendered.archives.get(month));
    const changed = after.archives.get(newestMonth ?? "");
    expect(changed?.atom).toContain(urls.article("bai-moi"));
    expect(changed?.updated).toEqual(added.published);
  });

  it("an article in a new month leaves every archive exactly as it was", () => {
    const newest = ARTICLES[0] as Article;
    const added: Article = {
      ...newest,
      slug: "thang-moi",
      published: new Date(newest.published.getTime() + 62 * 24 * 3_600_000),
      updated: undefined,
    };
    const after = renderSite([added, ...ARTICLES]);
    expect(after.months.slice(1)).toEqual(rendered.months);
    for (const month of rendered.months)
      expect(after.archives.get(month), month).toEqual(rendered.archives.get(month));
  });

  it("an edit to an old article changes its month's archive only, and moves its updated", () => {
    const target = ARTICLES[300] as Article;
    const edited = { ...target, title: "Đã sửa", updated: new Date("2030-01-01T00:00:00Z") };
    const after = renderSite(ARTICLES.map((a) => (a === target ? edited : a)));
    const changed = after.months.filter(
      (month) => after.archives.get(month)?.atom !== rendered.archives.get(month)?.atom,
    );
    expect(changed).toHaveLength(1);
    const month = changed[0] ?? "";
    expect(after.archives.get(month)?.updated.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    expect(after.archives.get(month)?.rss).toContain("Đã sửa");
  });
});
