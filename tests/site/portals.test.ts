/**
 * The feeds as a news portal reads them from the running server (`src/main.ts`
 * on loopback), over several hundred articles across years: the complete
 * history walked along `prev-archive` and `next_url`, tag feeds, `/tags`,
 * `/feeds.opml` and WebSub discovery, parsed by the real feed parsers.
 */
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import Parser from "rss-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Element, xml2js } from "xml-js";
import type { Article } from "../../src/content/types.ts";
import { eventually, writeArticle } from "../federation/e2e.ts";
import { manyArticles } from "../fixtures/many-articles.ts";
import { makeContent } from "../hardening/helpers.ts";
import { articleFile, writeArticleFiles } from "../helpers/article-files.ts";
import { parseHistoryDoc } from "../helpers/feed-history.ts";
import { startServer, type TestServer } from "../helpers/server.ts";

const ARTICLES = manyArticles(400);
const FEED_LIMIT = 50;
/** One more article, with the tag whose URL a decomposed spelling must still find. */
const CUA_LO_SLUG = "dem-hoi-cua-lo";
const CUA_LO = "Cửa Lò";
const TAGS = [...new Set([...ARTICLES.flatMap((a) => a.tags), CUA_LO])];

let server: TestServer;
let dir: string;
const parser = new Parser();
/** An Atom entry's categories: rss-parser maps RSS `<category>` but not Atom's `term`. */
type AtomItem = { atomCategories?: { $: { term: string } }[] };
const atomParser = new Parser<Record<string, never>, AtomItem>({
  customFields: { item: [["category", "atomCategories", { keepArray: true }]] },
});

beforeAll(async () => {
  dir = await makeContent("loa-portals-");
  await writeArticleFiles(dir, ARTICLES);
  await writeArticle(dir, CUA_LO_SLUG, [
    "title: Đêm hội Cửa Lò",
    "published: 2019-06-15T20:00:00+07:00",
    `tags: [${CUA_LO}]`,
  ]);
  server = await startServer({ contentDir: dir, env: { FEED_LIMIT: String(FEED_LIMIT) } });
}, 60_000);

afterAll(async () => {
  await server?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const url = (path: string) => `${server.origin}${path}`;
const articleUrl = (slug: string) => url(`/articles/${slug}`);
const everyArticle = () =>
  [...ARTICLES.map((a) => articleUrl(a.slug)), articleUrl(CUA_LO_SLUG)].sort();

async function get(target: string, headers: Record<string, string> = {}) {
  const res = await fetch(target, { headers });
  return { res, text: await res.text() };
}

interface Visited {
  url: string;
  ids: string[];
  etag: string;
  lastModified: string;
}

/** Follows `prev-archive` from a subscription feed, as an RFC 5005 client does. */
async function walk(kind: "rss" | "atom"): Promise<Visited[]> {
  const current = url(`/${kind}.xml`);
  const subscription = await parseHistoryDoc((await get(current)).text);
  expect(subscription.archive).toBe(false);
  expect(subscription.ids).toHaveLength(FEED_LIMIT);
  const visited: Visited[] = [];
  let next = subscription.links.get("prev-archive");
  while (next !== undefined) {
    const at = next;
    if (visited.some((doc) => doc.url === at)) throw new Error(`prev-archive loops back to ${at}`);
    const { res, text } = await get(at);
    expect(res.status, at).toBe(200);
    const doc = await parseHistoryDoc(text);
    expect(doc.archive, at).toBe(true);
    expect(doc.links.get("current"), at).toBe(current);
    expect(doc.links.get("self"), at).toBe(at);
    // Archives are fetched, not subscribed to.
    expect(doc.links.has("hub"), at).toBe(false);
    const etag = res.headers.get("etag") ?? "";
    expect(etag, at).toMatch(/^"[^"]+"$/);
    visited.push({
      url: at,
      ids: doc.ids,
      etag,
      lastModified: res.headers.get("last-modified") ?? "",
    });
    next = doc.links.get("prev-archive");
  }
  return visited;
}

describe("the complete history (RFC 5005)", () => {
  for (const kind of ["rss", "atom"] as const) {
    it(`${kind}: prev-archive from /${kind}.xml finds every article exactly once`, async () => {
      const visited = await walk(kind);
      expect(visited.length).toBeGreaterThan(24);
      const years = new Set(visited.map((doc) => /\/archives\/(\d{4})\//.exec(doc.url)?.[1]));
      expect(years.size).toBeGreaterThanOrEqual(4);
      const ids = visited.flatMap((doc) => doc.ids);
      expect(ids.length).toBe(new Set(ids).size);
      expect([...ids].sort()).toEqual(everyArticle());
    });
  }

  it("json: next_url from /feed.json pages through every article exactly once", async () => {
    const first = JSON.parse((await get(url("/feed.json"))).text);
    expect(first.items).toHaveLength(FEED_LIMIT);
    const ids: string[] = [];
    const seen = new Set<string>();
    let next: string | undefined = first.next_url;
    while (next !== undefined) {
      expect(seen.has(next), next).toBe(false);
      seen.add(next);
      const page = JSON.parse((await get(next)).text);
      expect(page.feed_url).toBe(next);
      expect(page.hubs).toBeUndefined();
      ids.push(...page.items.map((item: { id: string }) => item.id));
      next = page.next_url;
    }
    expect(ids.length).toBe(new Set(ids).size);
    expect([...ids].sort()).toEqual(everyArticle());
  });

  it("archives are cached for a day, but for the newest month; their 304s say so too", async () => {
    const [newest, older] = await walk("atom");
    const fresh = await fetch(newest?.url ?? "");
    expect(fresh.headers.get("cache-control")).toBe("public, max-age=60");
    const kept = await fetch(older?.url ?? "");
    expect(kept.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(kept.headers.get("access-control-allow-origin")).toBe("*");
    const revalidated = await fetch(older?.url ?? "", {
      headers: { "If-None-Match": older?.etag ?? "" },
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("cache-control")).toBe("public, max-age=86400");
  });

  it("an unknown or malformed month is a 404", async () => {
    for (const path of [
      "/archives/1999/01/atom.xml",
      "/archives/2019/13/rss.xml",
      "/archives/2019/6/feed.json",
      "/archives/19/06/atom.xml",
    ]) {
      expect((await fetch(url(path))).status, path).toBe(404);
    }
  });
});

describe("WebSub discovery on the feeds one subscribes to", () => {
  const hub = () => url("/websub");
  const feeds = () => [
    url("/rss.xml"),
    url("/atom.xml"),
    url("/feed.json"),
    url(`/tags/${encodeURIComponent("Du lịch")}/atom.xml`),
  ];

  it("Link headers name the hub and the feed itself", async () => {
    for (const feed of feeds()) {
      const { res } = await get(feed);
      expect(res.headers.get("link"), feed).toBe(`<${hub()}>; rel="hub", <${feed}>; rel="self"`);
      expect(res.headers.get("access-control-allow-origin"), feed).toBe("*");
    }
  });

  it("the documents name the hub: atom:link in RSS and Atom, hubs in JSON Feed", async () => {
    for (const kind of ["rss", "atom"] as const) {
      const doc = await parseHistoryDoc((await get(url(`/${kind}.xml`))).text);
      expect(doc.links.get("hub"), kind).toBe(hub());
    }
    const json = JSON.parse((await get(url("/feed.json"))).text);
    expect(json.hubs).toEqual([{ type: "WebSub", url: hub() }]);
  });
});

const tagged = (tag: string) => ARTICLES.filter((a) => a.tags.includes(tag));

describe("tag feeds", () => {
  for (const kind of ["rss", "atom"] as const) {
    it(`${kind}: every tag's feed parses and carries the newest of that tag's articles only`, async () => {
      for (const tag of TAGS.filter((t) => t !== CUA_LO)) {
        const { res, text } = await get(url(`/tags/${encodeURIComponent(tag)}/${kind}.xml`));
        expect(res.status, tag).toBe(200);
        const feed = await (kind === "rss" ? parser : atomParser).parseString(text);
        expect(feed.title, tag).toContain(tag);
        const expected = tagged(tag)
          .slice(0, FEED_LIMIT)
          .map((a: Article) => articleUrl(a.slug));
        expect(
          feed.items.map((item) => item.link),
          tag,
        ).toEqual(expected);
        for (const item of feed.items) {
          const categories =
            kind === "rss"
              ? item.categories
              : (item as AtomItem).atomCategories?.map((c) => c.$.term);
          expect(categories, `${tag}: ${item.link}`).toContain(tag);
        }
      }
    });
  }

  it("json: the same articles, each carrying the tag", async () => {
    const tag = "Hội nghị";
    const feed = JSON.parse((await get(url(`/tags/${encodeURIComponent(tag)}/feed.json`))).text);
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.items.map((i: { id: string }) => i.id)).toEqual(
      tagged(tag)
        .slice(0, FEED_LIMIT)
        .map((a) => articleUrl(a.slug)),
    );
    for (const item of feed.items) expect(item.tags).toContain(tag);
  });

  it("a decomposed (NFD) tag in the URL finds the tag, page and feeds alike", async () => {
    const nfd = encodeURIComponent(CUA_LO.normalize("NFD"));
    const nfc = encodeURIComponent(CUA_LO);
    expect(nfd).not.toBe(nfc);
    const page = await get(url(`/tags/${nfd}`));
    expect(page.res.status).toBe(200);
    expect(page.text).toContain(`<h1>#${CUA_LO}</h1>`);
    expect(page.text).toContain(`href="${articleUrl(CUA_LO_SLUG)}"`);
    // Autodiscovery of the tag's own feeds, at their canonical (NFC) URLs.
    for (const [type, file] of [
      ["application/rss+xml", "rss.xml"],
      ["application/atom+xml", "atom.xml"],
      ["application/feed+json", "feed.json"],
    ]) {
      expect(page.text).toMatch(
        new RegExp(
          `<link rel="alternate" type="${type?.replace("+", "\\+")}"[^>]*href="${url(`/tags/${nfc}/${file}`)}"`,
        ),
      );
    }
    for (const file of ["rss.xml", "atom.xml", "feed.json"]) {
      const decomposed = await get(url(`/tags/${nfd}/${file}`));
      const composed = await get(url(`/tags/${nfc}/${file}`));
      expect(decomposed.res.status, file).toBe(200);
      expect(decomposed.res.headers.get("etag"), file).toBe(composed.res.headers.get("etag"));
      expect(decomposed.text).toContain(articleUrl(CUA_LO_SLUG));
    }
  });

  it("an unknown tag has no feed", async () => {
    for (const file of ["rss.xml", "atom.xml", "feed.json"]) {
      const path = `/tags/${encodeURIComponent("Không có")}/${file}`;
      expect((await fetch(url(path))).status, path).toBe(404);
    }
  });
});

describe("/tags and /feeds.opml", () => {
  it("/tags lists every tag with its article count", async () => {
    const { res, text } = await get(url("/tags"));
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const listed = new Map(
      [
        ...text.matchAll(
          /<li><a rel="tag" href="([^"]+)">#([^<]+)<\/a> <span class="count">(\d+) bài viết<\/span><\/li>/g,
        ),
      ].map((m) => [m[2], { href: m[1], count: Number(m[3]) }]),
    );
    expect([...listed.keys()].sort()).toEqual([...TAGS].sort());
    for (const tag of TAGS) {
      const count = tag === CUA_LO ? 1 : tagged(tag).length;
      expect(listed.get(tag), tag).toEqual({
        href: url(`/tags/${encodeURIComponent(tag)}`),
        count,
      });
    }
  });

  it("/feeds.opml parses as XML and lists every feed, each of which answers", async () => {
    const { res, text } = await get(url("/feeds.opml"));
    expect(res.headers.get("content-type")).toBe("text/x-opml; charset=utf-8");
    const doc = xml2js(text, { compact: false }) as Element;
    const xmlUrls: string[] = [];
    const visit = (el: Element) => {
      const href = el.attributes?.xmlUrl;
      if (el.name === "outline" && typeof href === "string") xmlUrls.push(href);
      for (const child of el.elements ?? []) visit(child);
    };
    visit(doc);
    const feedsOf = (base: string) =>
      ["rss.xml", "atom.xml", "feed.json"].map((f) => `${base}/${f}`);
    const expected = [
      ...feedsOf(server.origin),
      ...TAGS.flatMap((tag) => feedsOf(url(`/tags/${encodeURIComponent(tag)}`))),
    ];
    expect([...xmlUrls].sort()).toEqual(expected.sort());
    const types = {
      xml: /^application\/(rss|atom)\+xml; charset=utf-8$/,
      json: /^application\/feed\+json/,
    };
    for (const feed of xmlUrls) {
      const answer = await fetch(feed);
      expect(answer.status, feed).toBe(200);
      expect(answer.headers.get("content-type"), feed).toMatch(
        feed.endsWith(".json") ? types.json : types.xml,
      );
      await answer.body?.cancel();
    }
  });
});

describe("archives while the content changes", () => {
  it("a new article changes its own month's archive only: the others keep ETag and Last-Modified", async () => {
    const before = await walk("atom");
    const newest = ARTICLES[0] as Article;
    // The same moment as the newest article: certainly the newest month.
    const added: Article = {
      ...newest,
      slug: "bai-moi-nhat",
      title: "Bài mới nhất",
      updated: undefined,
    };
    await writeFile(join(dir, "articles", "bai-moi-nhat.md"), articleFile(added));
    await eventually(
      async () => (await get(url("/atom.xml"))).text.includes(articleUrl(added.slug)),
      "the new article in /atom.xml",
    );
    const after = await walk("atom");
    expect(after.map((doc) => doc.url)).toEqual(before.map((doc) => doc.url));
    const [changed, ...kept] = after;
    expect(changed?.ids).toContain(articleUrl(added.slug));
    expect(changed?.etag).not.toBe(before[0]?.etag);
    expect(new Date(changed?.lastModified ?? "").getTime()).toBeGreaterThan(
      new Date(before[0]?.lastModified ?? "").getTime(),
    );
    kept.forEach((doc, i) => {
      expect(doc.etag, doc.url).toBe(before[i + 1]?.etag);
      expect(doc.lastModified, doc.url).toBe(before[i + 1]?.lastModified);
    });
    for (const doc of kept.slice(0, 3)) {
      const again = await fetch(doc.url, { headers: { "If-None-Match": doc.etag } });
      expect(again.status, doc.url).toBe(304);
    }
  });

  it("an article in a new month changes no archive: bytes and ETag of every format stay", async () => {
    const months = (await walk("atom")).map(
      (doc) => /\/archives\/(\d{4}\/\d{2})\//.exec(doc.url)?.[1],
    );
    const watched = months.slice(0, 2).map((m) => `/archives/${m}`);
    const paths = watched.flatMap((m) => [`${m}/rss.xml`, `${m}/atom.xml`, `${m}/feed.json`]);
    const snapshot = async () =>
      await Promise.all(
        paths.map(async (path) => {
          const { res, text } = await get(url(path));
          expect(res.status, path).toBe(200);
          return { path, text, etag: res.headers.get("ETag") };
        }),
      );
    const before = await snapshot();
    const newest = ARTICLES[0] as Article;
    const added: Article = {
      ...newest,
      slug: "thang-moi",
      title: "Tháng mới",
      published: new Date(newest.published.getTime() + 62 * 24 * 3_600_000),
      updated: undefined,
    };
    await writeFile(join(dir, "articles", "thang-moi.md"), articleFile(added));
    await eventually(
      async () => (await get(url("/atom.xml"))).text.includes(articleUrl(added.slug)),
      "the new month's article in /atom.xml",
    );
    expect((await walk("atom")).length).toBe(months.length + 1);
    expect(await snapshot()).toEqual(before);
  });
});
