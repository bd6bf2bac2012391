/**
 * Turns published articles into the cleaned, absolute, format-neutral entries
 * every feed writer uses, and picks the feed's stable `updated` date.
 */
import { getLogger } from "@logtape/logtape";
import type { Article, Site } from "../content/types.ts";
import { plainExcerpt, stripControl } from "../text/plain.ts";
import type { Urls } from "../urls.ts";
import { absolutizeHtml } from "./text.ts";

const logger = getLogger(["loa", "feeds"]);

/** The `updated` of a feed with no articles: fixed, so its ETag never moves. */
export const EMPTY_FEED_UPDATED = new Date(0);

/** One article as the feeds carry it: control characters stripped, URLs absolute. */
export interface FeedEntry {
  /** The article's URL: link, RSS guid, Atom id and JSON Feed id. */
  url: string;
  title: string;
  /** Plain text: the article's summary, or an excerpt of its body. */
  summary: string;
  /** The body HTML with root-relative links made absolute. */
  html: string;
  published: Date;
  /** `updated ?? published`. */
  updated: Date;
  authors: string[];
  tags: string[];
  language: string;
  image?: { url: string; mediaType: string; alt: string; length?: number };
}

/** One feed in each of the three formats. */
export interface FeedLinks {
  rss: string;
  atom: string;
  json: string;
}

/**
 * RFC 5005 §4 links of one document, in each format. In RSS and Atom they are
 * `current`, `prev-archive` and `next-archive` links; JSON Feed has only
 * `next_url`, which pages towards older articles as `prev-archive` does.
 */
export interface FeedHistory {
  /** This document is an archive (`fh:archive`), not a subscription feed. */
  archive: boolean;
  /** The subscription feeds (`current`), from an archive. */
  current?: FeedLinks;
  /** The next older archive (`prev-archive`; JSON Feed `next_url`). */
  prevArchive?: FeedLinks;
  /** The next newer archive (`next-archive`). */
  nextArchive?: FeedLinks;
}

/** The site (or one tag, or one month of it) as the feeds carry it. */
export interface FeedChannel {
  title: string;
  description: string;
  language: string;
  /** Name of the site's actor: the feed-level author. */
  authorName: string;
  /** The page the feed stands for (alternate link); also the Atom feed id. */
  home: string;
  /** This document's own URL (`self`, JSON `feed_url`) in each format. */
  rss: string;
  atom: string;
  json: string;
  /** Absolute URL of the site's icon, when it has one. */
  icon?: string;
  updated: Date;
  /** Archive links, when the feed is part of the site's complete history. */
  history?: FeedHistory;
  /**
   * The WebSub hub that pushes this feed's changes (subscription and tag
   * feeds; an archive is not subscribed to, it is fetched once).
   */
  hub?: string;
}

function validDate(date: Date | undefined): date is Date {
  return date instanceof Date && !Number.isNaN(date.getTime());
}

/** Cleans one article; `undefined` when its `published` is not a real date. */
export function toFeedEntry(article: Article, urls: Urls): FeedEntry | undefined {
  if (!validDate(article.published)) {
    // `feed` would throw in atom1() and print "Invalid Date" in rss2().
    logger.warning("Article {slug} has an invalid published date; left out of the feeds", {
      slug: article.slug,
    });
    return undefined;
  }
  const html = stripControl(absolutizeHtml(article.html, urls));
  const entry: FeedEntry = {
    url: urls.article(article.slug),
    title: stripControl(article.title),
    summary: stripControl(article.summary ?? plainExcerpt(html)),
    html,
    published: article.published,
    updated: validDate(article.updated) ? article.updated : article.published,
    authors: article.authors.map(stripControl).filter((name) => name.trim() !== ""),
    tags: article.tags.map(stripControl).filter((tag) => tag.trim() !== ""),
    language: article.language,
  };
  if (article.image) {
    entry.image = {
      url: urls.absolute(article.image.url),
      mediaType: article.image.mediaType,
      alt: stripControl(article.image.alt),
    };
    if (article.image.length !== undefined) entry.image.length = article.image.length;
  }
  return entry;
}

/**
 * The newest `limit` valid articles as entries, and the channel. The feed's
 * `updated` is the latest `updated ?? published` among those entries (the
 * newest article's, unless an older one was edited later), never "now", so
 * it and the output stay the same between calls until content changes.
 */
export function prepareFeed(input: {
  site: Site;
  articles: Article[];
  urls: Urls;
  limit: number;
}): { channel: FeedChannel; entries: FeedEntry[] } {
  const { site, urls } = input;
  const limit = Math.max(0, Math.floor(input.limit));
  const entries: FeedEntry[] = [];
  for (const article of input.articles) {
    if (entries.length >= limit) break;
    const entry = toFeedEntry(article, urls);
    if (entry) entries.push(entry);
  }
  let updated = EMPTY_FEED_UPDATED;
  for (const entry of entries) {
    if (entry.updated.getTime() > updated.getTime()) updated = entry.updated;
  }
  const channel: FeedChannel = {
    title: stripControl(site.title),
    description: stripControl(site.description),
    language: site.language,
    authorName: stripControl(site.actor.name),
    home: urls.home(),
    rss: urls.rss(),
    atom: urls.atom(),
    json: urls.jsonFeed(),
    updated,
  };
  if (site.actor.icon) channel.icon = urls.absolute(site.actor.icon);
  return { channel, entries };
}
