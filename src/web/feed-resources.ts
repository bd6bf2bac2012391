/**
 * The feeds as rendered bodies: the subscription feeds, each tag's feeds, the
 * month archives (RFC 5005) and the OPML list, each rendered once per content
 * version; and the WebSub topics among them, for the hub.
 */
import type { Config } from "../config.ts";
import type { Site } from "../content/types.ts";
import { archiveMonth, parseArchiveMonth, renderArchive } from "../feeds/archive.ts";
import { OPML_CONTENT_TYPE, renderOpml } from "../feeds/opml.ts";
import {
  ATOM_CONTENT_TYPE,
  JSON_FEED_CONTENT_TYPE,
  type RenderedFeeds,
  RSS_CONTENT_TYPE,
  renderFeeds,
  renderTagFeeds,
} from "../feeds/render.ts";
import { pathMatcher } from "../path-templates.ts";
import type { PublishedView } from "../read-models/published-view.ts";
import { tagLookupKey } from "../read-models/published-view.ts";
import { type FeedKind, PATHS, type Urls } from "../urls.ts";
import type { Rendered } from "./conditional.ts";
import { RenderCache } from "./render-cache.ts";
import type { DatedRender } from "./validator-history.ts";

const FEED_TYPES: Record<FeedKind, string> = {
  rss: RSS_CONTENT_TYPE,
  atom: ATOM_CONTENT_TYPE,
  json: JSON_FEED_CONTENT_TYPE,
};
const KINDS: readonly FeedKind[] = ["rss", "atom", "json"];

/** A feed the WebSub hub distributes, with the ETag of its current body. */
export interface Topic {
  /** The feed's canonical URL (its `rel="self"`). */
  url: string;
  /** The identity body's ETag: it changes exactly when the body does. */
  etag: string;
}

/** The feeds of the site's resources (`SiteResources` extends this). */
export interface FeedResources {
  /** `/rss.xml`, `/atom.xml`, `/feed.json`: the newest articles, linking the archive. */
  feed(kind: FeedKind): Rendered;
  /** One tag's feed (`tag` in any case, either Unicode normal form); null when no published article has it. */
  tagFeed(kind: FeedKind, tag: string): Rendered | null;
  /**
   * One month's RFC 5005 archive document, from the path's `year` (`"2021"`)
   * and `month` (`"03"`); null for anything else, or a month without articles.
   */
  archive(kind: FeedKind, year: string, month: string): Rendered | null;
  /** `/feeds.opml`: the site's and every tag's feeds. */
  opml(): Rendered;
  /**
   * The WebSub topics (the three subscription feeds and every tag's three),
   * each with the ETag of its current body: compare two calls, one before
   * and one after a content change, to learn which topics changed. Renders
   * what is not rendered yet for this content version.
   */
  topics(): Topic[];
  /**
   * The current body of the topic at `url` (a subscription or tag feed of
   * this origin, without query or fragment), with its content type and
   * headers (`Link` with `rel="hub"` and the canonical `rel="self"`, which
   * may differ from `url` in case or normal form); null when `url` is none.
   */
  topic(url: string): Rendered | null;
}

export interface FeedResourcesDeps {
  config: Pick<Config, "feedLimit">;
  urls: Urls;
  site: () => Site;
  version: () => number;
  view: () => PublishedView;
  render: DatedRender;
}

type FeedSet = Record<FeedKind, Rendered>;

// Web-based readers and portals fetch the feeds from other origins.
const CORS = { "Access-Control-Allow-Origin": "*" };
// An archive changes only when one of its own articles is edited or removed
// (or, once, when the month after it gets its first article).
const ARCHIVE_CACHE = "public, max-age=86400";

export function createFeedResources(deps: FeedResourcesDeps): FeedResources {
  const { urls, config, view, render } = deps;
  const hub = urls.hub();

  /** The three bodies of one channel; `key` names it in the validator history. */
  const feedSet = (
    key: string,
    out: RenderedFeeds,
    headers: (kind: FeedKind) => Record<string, string>,
  ): FeedSet => {
    const one = (kind: FeedKind) =>
      render(`${key}:${kind}`, out[kind], FEED_TYPES[kind], out.updated, headers(kind));
    return { rss: one("rss"), atom: one("atom"), json: one("json") };
  };
  /** WebSub discovery (§4): the hub and the topic's own URL, on every feed one can subscribe to. */
  const topicHeaders = (self: string) => ({
    ...CORS,
    Link: `<${hub}>; rel="hub", <${self}>; rel="self"`,
  });

  let feedsVersion = -1;
  let feeds: FeedSet | undefined;
  const subscription = (): FeedSet => {
    if (feeds === undefined || feedsVersion !== deps.version()) {
      feedsVersion = deps.version();
      const published = view();
      const out = renderFeeds({
        site: deps.site(),
        articles: published.articles,
        urls,
        limit: config.feedLimit,
        newestArchive: published.archive().months[0],
      });
      const self: Record<FeedKind, string> = {
        rss: urls.rss(),
        atom: urls.atom(),
        json: urls.jsonFeed(),
      };
      feeds = feedSet("feed", out, (kind) => topicHeaders(self[kind]));
    }
    return feeds;
  };

  // Bounded: a crawler walking every tag or month must not keep them all in memory.
  const tagFeeds = new RenderCache<FeedSet>(256);
  const tagFeed = (kind: FeedKind, tag: string): Rendered | null => {
    const tagged = view().tagged(tag);
    if (tagged === undefined) return null;
    const { name, articles } = tagged;
    return tagFeeds.get(deps.version(), name, () => {
      const key = tagLookupKey(name);
      const out = renderTagFeeds({
        site: deps.site(),
        tag: name,
        articles,
        urls,
        limit: config.feedLimit,
      });
      return feedSet(`tag-feed:${key}`, out, (k) => topicHeaders(urls.tagFeed(k, name)));
    })[kind];
  };

  const archives = new RenderCache<FeedSet>(64);
  const archive = (kind: FeedKind, year: string, month: string): Rendered | null => {
    const name = parseArchiveMonth(year, month);
    if (name === undefined) return null;
    const index = view().archive();
    if (!index.byMonth.has(name)) return null;
    // Per request: a regex and two map lookups, whatever the archive's size;
    // finding the month's neighbours (a scan of the months) only when rendering.
    return archives.get(deps.version(), name, () => {
      const input = archiveMonth(index, name);
      if (input === undefined) throw new Error(`month ${name} vanished from its own index`);
      // The newest month still grows with every article published in it: it is
      // revalidated like the feeds, every other month is kept for a day.
      const caching: Record<string, string> =
        input.nextMonth === undefined ? CORS : { ...CORS, "Cache-Control": ARCHIVE_CACHE };
      const out = renderArchive({ site: deps.site(), urls, ...input });
      return feedSet(`archive:${name}`, out, () => caching);
    })[kind];
  };

  const opmlCache = new RenderCache(1);
  const opml = () =>
    opmlCache.get(deps.version(), "opml", () => {
      const published = view();
      const text = renderOpml({ site: deps.site(), urls, tags: published.tags() });
      return render("opml", text, OPML_CONTENT_TYPE, published.newest, CORS);
    });

  const tagMatchers = KINDS.map((kind) => ({
    kind,
    matcher: pathMatcher(
      PATHS[kind === "rss" ? "tagRss" : kind === "atom" ? "tagAtom" : "tagJsonFeed"],
    ),
  }));

  return {
    feed: (kind) => subscription()[kind],
    tagFeed,
    archive,
    opml,
    topics() {
      const out: Topic[] = [];
      const site = subscription();
      const self = { rss: urls.rss(), atom: urls.atom(), json: urls.jsonFeed() };
      for (const kind of KINDS) out.push({ url: self[kind], etag: site[kind].etag });
      for (const { name } of view().tags()) {
        for (const kind of KINDS) {
          const body = tagFeed(kind, name);
          if (body) out.push({ url: urls.tagFeed(kind, name), etag: body.etag });
        }
      }
      return out;
    },
    topic(url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return null;
      }
      if (parsed.origin !== urls.origin.origin || parsed.search !== "" || parsed.hash !== "") {
        return null;
      }
      for (const kind of KINDS) {
        if (parsed.pathname === PATHS[kind === "json" ? "jsonFeed" : kind])
          return subscription()[kind];
      }
      for (const { kind, matcher } of tagMatchers) {
        const params = matcher.match(parsed.pathname);
        if (params?.tag !== undefined) return tagFeed(kind, params.tag);
      }
      return null;
    },
  };
}
