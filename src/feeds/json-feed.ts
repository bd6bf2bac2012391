/**
 * JSON Feed 1.1, built here rather than by `feed`: its json1() writes version 1
 * (singular `author`, only the first of several authors, no `language`), so
 * finishing it would mean rewriting every field anyway. A typed object is
 * simpler and cannot drift from the spec silently.
 */
import type { FeedChannel, FeedEntry } from "./entries.ts";

/** https://www.jsonfeed.org/version/1.1/#authors */
export interface JsonFeedAuthor {
  name: string;
  url?: string;
  avatar?: string;
}

/** One item of a JSON Feed 1.1 document (the fields we write). */
export interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  content_html: string;
  summary?: string;
  image?: string;
  date_published: string;
  date_modified: string;
  tags?: string[];
  authors?: JsonFeedAuthor[];
  language: string;
}

/** A JSON Feed 1.1 document (the fields we write). */
export interface JsonFeed {
  version: "https://jsonfeed.org/version/1.1";
  title: string;
  home_page_url: string;
  feed_url: string;
  /** The next page towards older articles: the newest month's archive, or the month before. */
  next_url?: string;
  description: string;
  icon?: string;
  favicon?: string;
  language: string;
  authors: JsonFeedAuthor[];
  /** https://www.jsonfeed.org/version/1.1/#subscribing-to-real-time-notifications */
  hubs?: { type: "WebSub"; url: string }[];
  items: JsonFeedItem[];
}

/** Builds the JSON Feed object. */
export function buildJsonFeed(channel: FeedChannel, entries: FeedEntry[]): JsonFeed {
  const feed: JsonFeed = {
    version: "https://jsonfeed.org/version/1.1",
    title: channel.title,
    home_page_url: channel.home,
    feed_url: channel.json,
    ...(channel.history?.prevArchive ? { next_url: channel.history.prevArchive.json } : {}),
    description: channel.description,
    ...(channel.icon ? { icon: channel.icon, favicon: channel.icon } : {}),
    language: channel.language,
    authors: [{ name: channel.authorName, url: channel.home }],
    ...(channel.hub ? { hubs: [{ type: "WebSub" as const, url: channel.hub }] } : {}),
    items: entries.map(toItem),
  };
  return feed;
}

function toItem(entry: FeedEntry): JsonFeedItem {
  const item: JsonFeedItem = {
    id: entry.url,
    url: entry.url,
    title: entry.title,
    content_html: entry.html,
    date_published: entry.published.toISOString(),
    date_modified: entry.updated.toISOString(),
    language: entry.language,
  };
  if (entry.summary) item.summary = entry.summary;
  if (entry.image) item.image = entry.image.url;
  if (entry.tags.length > 0) item.tags = entry.tags;
  // Without item authors, readers use the feed's (the site's actor).
  if (entry.authors.length > 0) item.authors = entry.authors.map((name) => ({ name }));
  return item;
}

/** Serializes the JSON Feed (two-space indented, UTF-8 as is). */
export function writeJsonFeed(channel: FeedChannel, entries: FeedEntry[]): string {
  return `${JSON.stringify(buildJsonFeed(channel, entries), null, 2)}\n`;
}
