/**
 * The site's feeds (and one tag's), from its published articles. Pure: same
 * input, same output (no clock), so the integrator can hash the output for
 * ETags and use `updated` for Last-Modified.
 */
import type { Article, Site } from "../content/types.ts";
import { stripControl } from "../text/plain.ts";
import type { FeedKind, Urls } from "../urls.ts";
import { writeAtom } from "./atom.ts";
import { type FeedChannel, type FeedEntry, type FeedLinks, prepareFeed } from "./entries.ts";
import { writeJsonFeed } from "./json-feed.ts";
import { writeRss } from "./rss.ts";

export const RSS_CONTENT_TYPE = "application/rss+xml; charset=utf-8";
export const ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8";
export const JSON_FEED_CONTENT_TYPE = "application/feed+json; charset=utf-8";

/** What {@link renderFeeds} needs. */
export interface RenderFeedsInput {
  site: Site;
  /** Published articles, newest first. */
  articles: Article[];
  urls: Urls;
  /** How many of the newest articles the feeds carry. */
  limit: number;
  /**
   * The newest month of the archive (`archiveIndex(…).months[0]`, e.g.
   * `"2021-03"`): RSS and Atom link it as `prev-archive`, JSON Feed as
   * `next_url`. Left out, the feeds carry no history link (an empty site).
   */
  newestArchive?: string;
}

/** The three documents and the date they were last changed. */
export interface RenderedFeeds {
  rss: string;
  atom: string;
  json: string;
  /**
   * The latest `updated ?? published` of the articles carried (the Unix epoch
   * for an empty site): stable between calls, fit for Last-Modified.
   */
  updated: Date;
}

/** One feed's URL in each format, from a builder such as `(kind) => urls.tagFeed(kind, tag)`. */
export function feedLinks(build: (kind: FeedKind) => string): FeedLinks {
  return { rss: build("rss"), atom: build("atom"), json: build("json") };
}

/** Writes the three documents of one channel: the one renderer behind every feed. */
export function writeFeeds(channel: FeedChannel, entries: FeedEntry[]): RenderedFeeds {
  return {
    rss: writeRss(channel, entries),
    atom: writeAtom(channel, entries),
    json: writeJsonFeed(channel, entries),
    updated: channel.updated,
  };
}

/**
 * Renders RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the newest `limit`
 * articles, advertising the WebSub hub (`urls.hub()`).
 */
export function renderFeeds(input: RenderFeedsInput): RenderedFeeds {
  const { channel, entries } = prepareFeed(input);
  channel.hub = input.urls.hub();
  const month = input.newestArchive;
  if (month !== undefined) {
    channel.history = {
      archive: false,
      prevArchive: feedLinks((kind) => input.urls.archive(kind, month)),
    };
  }
  return writeFeeds(channel, entries);
}

/** What {@link renderTagFeeds} needs. */
export interface RenderTagFeedsInput {
  site: Site;
  /** The tag as its articles spell it (see `countTags`). */
  tag: string;
  /** The published articles carrying the tag, newest first. */
  articles: Article[];
  urls: Urls;
  /** How many of the newest articles the feeds carry. */
  limit: number;
}

/**
 * One tag's feeds, `/tags/{tag}/rss.xml` and its siblings: the site's feeds
 * with another article list, title ("<site> — <tag>"), self links and the tag
 * page as alternate link (and Atom id: a logical feed of its own), and the
 * WebSub hub like the site's feeds.
 */
export function renderTagFeeds(input: RenderTagFeedsInput): RenderedFeeds {
  const { channel, entries } = prepareFeed(input);
  const { urls, tag } = input;
  return writeFeeds(
    {
      ...channel,
      title: tagFeedTitle(channel.title, stripControl(tag)),
      home: urls.tag(tag),
      ...feedLinks((kind) => urls.tagFeed(kind, tag)),
      hub: urls.hub(),
    },
    entries,
  );
}

/** "<site title> — <tag>": the tag feeds' title, and their autodiscovery title on the tag page. */
export function tagFeedTitle(siteTitle: string, tag: string): string {
  return `${siteTitle} — ${tag}`;
}
