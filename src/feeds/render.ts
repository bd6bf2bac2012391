/**
 * The three feeds of the site, from its published articles. Pure: same input,
 * same output (no clock), so the integrator can hash the output for ETags and
 * use `updated` for Last-Modified.
 */
import type { Article, Site } from "../content/types.ts";
import type { Urls } from "../urls.ts";
import { writeAtom } from "./atom.ts";
import { prepareFeed } from "./entries.ts";
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

/** Renders RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the newest `limit` articles. */
export function renderFeeds(input: RenderFeedsInput): RenderedFeeds {
  const { channel, entries } = prepareFeed(input);
  return {
    rss: writeRss(channel, entries),
    atom: writeAtom(channel, entries),
    json: writeJsonFeed(channel, entries),
    updated: channel.updated,
  };
}
