/**
 * The feed resources over a real content directory: what the WebSub hub will
 * read (`topics()`, `topic(url)`), what an archive or tag feed answers with,
 * and what changes when the content does.
 */

import { rm, unlink } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeArticle } from "../../tests/federation/e2e.ts";
import { makeContent } from "../../tests/hardening/helpers.ts";
import { systemClock } from "../clock.ts";
import { loadConfig } from "../config.ts";
import { openContent } from "../content/source.ts";
import type { ContentSource } from "../content/types.ts";
import { NO_CONVERSATIONS } from "../read-models/conversations.ts";
import { createUrls } from "../urls.ts";
import { createSiteResources, type SiteResources } from "./site-resources.ts";

const ORIGIN = "https://tin.example.vn";
const urls = createUrls(new URL(ORIGIN));
let dir: string;
let content: ContentSource;
let site: SiteResources;

beforeAll(async () => {
  dir = await makeContent("loa-feed-resources-");
  await writeArticle(dir, "le-hoi", [
    "title: Lễ hội",
    "published: 2021-03-18T15:00:00+07:00",
    "tags: [Cửa Lò, Du lịch]",
  ]);
  await writeArticle(dir, "hop-dan", [
    "title: Họp dân",
    "published: 2021-02-01T09:00:00+07:00",
    "tags: [cửa lò]",
  ]);
  content = await openContent(dir, { watch: false });
  const config = loadConfig({ ORIGIN, CONTENT_DIR: dir });
  site = createSiteResources({
    config,
    urls,
    content,
    clock: systemClock,
    conversations: NO_CONVERSATIONS,
  });
});

afterAll(async () => {
  await content.close();
  await rm(dir, { recursive: true, force: true });
});

const topicUrls = () => site.topics().map((t) => t.url);

describe("WebSub topics", () => {
  it("are the subscription feeds and every tag's feeds, with their bodies' ETags", () => {
    const tagFeeds = (tag: string) =>
      (["rss", "atom", "json"] as const).map((k) => urls.tagFeed(k, tag));
    expect(topicUrls().sort()).toEqual(
      [
        urls.rss(),
        urls.atom(),
        urls.jsonFeed(),
        ...tagFeeds("Cửa Lò"),
        ...tagFeeds("Du lịch"),
      ].sort(),
    );
    for (const { url, etag } of site.topics()) expect(site.topic(url)?.etag, url).toBe(etag);
    expect(site.topics().find((t) => t.url === urls.atom())?.etag).toBe(site.feed("atom").etag);
  });

  it("answer with the body, its type and the discovery headers a push carries", () => {
    const body = site.topic(urls.tagFeed("atom", "Cửa Lò"));
    expect(body?.contentType).toBe("application/atom+xml; charset=utf-8");
    expect(body?.headers.Link).toBe(
      `<${urls.hub()}>; rel="hub", <${urls.tagFeed("atom", "Cửa Lò")}>; rel="self"`,
    );
    const text = new TextDecoder().decode(body?.body);
    expect(text).toContain(`<link rel="hub" href="${urls.hub()}"/>`);
    expect(text).toContain(urls.article("hop-dan"));
  });

  it("are found by any spelling of the tag, and nothing else is a topic", () => {
    const canonical = site.topic(urls.tagFeed("rss", "Cửa Lò"));
    expect(canonical).not.toBeNull();
    for (const spelling of ["cửa lò", "Cửa Lò".normalize("NFD"), "CỬA LÒ"]) {
      expect(site.topic(urls.tagFeed("rss", spelling)), spelling).toBe(canonical);
    }
    for (const url of [
      `${ORIGIN}/rss.xml?x=1`,
      `${ORIGIN}/rss.xml#top`,
      "https://other.example/rss.xml",
      urls.archive("atom", "2021-03"),
      urls.tagFeed("rss", "Không có"),
      urls.home(),
      "not a url",
    ]) {
      expect(site.topic(url), url).toBeNull();
    }
  });

  it("tell the hub which topics a change touched", async () => {
    const before = new Map(site.topics().map((t) => [t.url, t.etag]));
    await writeArticle(dir, "bai-bien", [
      "title: Biển",
      "published: 2021-03-20T09:00:00+07:00",
      "tags: [Du lịch]",
    ]);
    await content.reload();
    const changed = site
      .topics()
      .filter((t) => before.get(t.url) !== t.etag)
      .map((t) => t.url);
    expect(changed.sort()).toEqual(
      [
        urls.rss(),
        urls.atom(),
        urls.jsonFeed(),
        urls.tagFeed("rss", "Du lịch"),
        urls.tagFeed("atom", "Du lịch"),
        urls.tagFeed("json", "Du lịch"),
      ].sort(),
    );
    await unlink(join(dir, "articles", "bai-bien.md"));
    await content.reload();
    expect(new Map(site.topics().map((t) => [t.url, t.etag]))).toEqual(before);
  });
});

describe("archives", () => {
  it("answer each month that has articles, and 404 (null) any other", () => {
    expect(site.archive("atom", "2021", "03")).not.toBeNull();
    expect(site.archive("rss", "2021", "02")).not.toBeNull();
    for (const [year, month] of [
      ["2021", "01"],
      ["2021", "3"],
      ["2021", "13"],
      ["21", "03"],
      ["2021", "00"],
    ] as const) {
      expect(site.archive("json", year, month), `${year}/${month}`).toBeNull();
    }
  });

  it("are cached for a day but for the newest month, which still grows; none advertises the hub", () => {
    const older = site.archive("atom", "2021", "02");
    const newest = site.archive("atom", "2021", "03");
    expect(older?.headers["Cache-Control"]).toBe("public, max-age=86400");
    expect(older?.notModifiedHeaders["Cache-Control"]).toBe("public, max-age=86400");
    expect(newest?.headers["Cache-Control"]).toBe("public, max-age=60");
    expect(older?.headers["Access-Control-Allow-Origin"]).toBe("*");
    expect(older?.headers.Link).toBeUndefined();
    expect(new TextDecoder().decode(older?.body)).not.toContain('rel="hub"');
    // The subscription feeds keep theirs.
    expect(site.feed("rss").headers["Cache-Control"]).toBe("public, max-age=60");
  });

  it("render once per content version", () => {
    expect(site.archive("rss", "2021", "02")).toBe(site.archive("rss", "2021", "02"));
    expect(site.tagFeed("json", "Du lịch")).toBe(site.tagFeed("json", "du lịch"));
    expect(site.opml()).toBe(site.opml());
  });
});
