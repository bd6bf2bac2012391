import Parser from "rss-parser";
import { describe, expect, it } from "vitest";
import {
  festivalArticle,
  fixtureArticles,
  fixtureSite,
  noticeArticle,
} from "../../tests/fixtures/articles.ts";
import { createUrls } from "../urls.ts";
import { renderTagFeeds } from "./render.ts";

const urls = createUrls(new URL("https://cualo.example"));
const parser = new Parser();

describe("one tag's feeds", () => {
  const tag = "Du lịch";
  const tagged = [festivalArticle, { ...noticeArticle, tags: ["du lịch"] }];
  const feeds = renderTagFeeds({ site: fixtureSite, tag, articles: tagged, urls, limit: 50 });
  const title = `${fixtureSite.title} — Du lịch`;

  it("RSS and Atom: titled for the tag, self-linked at the tag's feed, alternate the tag page", async () => {
    for (const kind of ["rss", "atom"] as const) {
      const feed = await parser.parseString(feeds[kind]);
      expect(feed.title).toBe(title);
      expect(feed.feedUrl).toBe(urls.tagFeed(kind, tag));
      expect(feed.link).toBe(urls.tag(tag));
      expect(feed.items.map((i) => i.link)).toEqual(tagged.map((a) => urls.article(a.slug)));
      expect(feeds[kind]).not.toContain("prev-archive");
    }
    // A logical feed of its own: its Atom id is the tag page, not the site.
    expect(feeds.atom).toContain(`<id>${urls.tag(tag)}</id>`);
  });

  it("JSON Feed: the same", () => {
    const feed = JSON.parse(feeds.json);
    expect(feed).toMatchObject({
      title,
      feed_url: urls.tagFeed("json", tag),
      home_page_url: urls.tag(tag),
    });
    expect(feed.items.map((i: { url: string }) => i.url)).toEqual(
      tagged.map((a) => urls.article(a.slug)),
    );
    expect(feed).not.toHaveProperty("next_url");
  });

  it("carry the newest `limit` articles, dated by their newest change", async () => {
    const two = renderTagFeeds({
      site: fixtureSite,
      tag,
      articles: fixtureArticles,
      urls,
      limit: 2,
    });
    expect((await parser.parseString(two.rss)).items).toHaveLength(2);
    expect(two.updated.toISOString()).toBe("2021-03-18T08:00:00.000Z");
    expect(feeds.updated.toISOString()).toBe("2021-03-12T03:00:00.000Z");
  });

  it("keep a hostile tag name as text in every format", async () => {
    const evil = 'C&D <x> "q" \u0007';
    const shown = `${fixtureSite.title} — C&D <x> "q" `;
    const out = renderTagFeeds({ site: fixtureSite, tag: evil, articles: tagged, urls, limit: 5 });
    expect((await parser.parseString(out.rss)).title).toBe(shown);
    expect((await parser.parseString(out.atom)).title).toBe(shown);
    expect(JSON.parse(out.json).title).toBe(shown);
    expect((await parser.parseString(out.rss)).feedUrl).toBe(urls.tagFeed("rss", evil));
  });
});
