import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { Article, ContentSource } from "../content/types.ts";
import {
  ATOM_CONTENT_TYPE,
  JSON_FEED_CONTENT_TYPE,
  RSS_CONTENT_TYPE,
  renderFeeds,
} from "../feeds/render.ts";
import { renderSitemap } from "../feeds/sitemap.ts";
import { renderConversation } from "../pages/conversation.ts";
import { renderArticlePage, renderIndexPage } from "../pages/index.ts";
import type { Urls } from "../urls.ts";
import { type Rendered, rendered } from "./conditional.ts";
import type { Conversations } from "./conversations.ts";
import { RenderCache } from "./render-cache.ts";

const HTML = "text/html; charset=utf-8";
const FEED_TYPES = {
  rss: RSS_CONTENT_TYPE,
  atom: ATOM_CONTENT_TYPE,
  json: JSON_FEED_CONTENT_TYPE,
} as const;

export type FeedKind = keyof typeof FEED_TYPES;

export interface SiteResourcesDeps {
  config: Pick<Config, "feedLimit" | "pageSize">;
  urls: Urls;
  content: ContentSource;
  clock: Clock;
  /** Replies, likes and boosts shown under each article. */
  conversations: Conversations;
}

/**
 * The site's pages and feeds as rendered bodies, each rendered once per
 * content version. `null` means there is no such page. Shared by the Hono
 * routes and the Node fast path (`fast-path.ts`), so both answer with the
 * same bytes and validators.
 */
export interface SiteResources {
  /** Page `page` (from 1) of the index. */
  index(page: number): Rendered | null;
  /**
   * Loads what `article(slug)` needs beyond the content (its conversation),
   * so that `article` can answer; a no-op for a slug with no article.
   */
  prepare(slug: string): Promise<void>;
  /** Page `page` of the articles tagged `tag` (any case). */
  tag(tag: string, page: number): Rendered | null;
  article(slug: string): Rendered | null;
  feed(kind: FeedKind): Rendered;
  /** `/sitemap.xml`: the home page and every published article. */
  sitemap(): Rendered;
  /** `/robots.txt`: everything may be crawled; the sitemap's address. */
  robots(): Rendered;
}

const EPOCH = new Date(0);

function latest(a: Date, b: Date | null): Date {
  return b !== null && b > a ? b : a;
}

function newest(articles: readonly Article[]): Date {
  let max = EPOCH;
  for (const a of articles) {
    const t = a.updated ?? a.published;
    if (t > max) max = t;
  }
  return max;
}

// Hashtags match case-insensitively, as on Mastodon.
const tagKey = (tag: string) => tag.toLocaleLowerCase("vi");

export function createSiteResources(deps: SiteResourcesDeps): SiteResources {
  const { urls, content, config } = deps;
  const { clock } = deps;
  const cache = new RenderCache();
  // The published list changes only with `content.version` (a reload or an
  // article coming due), so it is computed once per version, not per request.
  let listVersion = -1;
  let list: Article[] = [];
  let bySlug = new Map<string, Article>();
  let byTag: Map<string, Article[]> | null = null;
  const published = () => {
    if (content.version !== listVersion) {
      list = content.published(clock());
      bySlug = new Map(list.map((a) => [a.slug, a]));
      byTag = null;
      listVersion = content.version;
    }
    return list;
  };
  const tagged = (tag: string): Article[] => {
    const articles = published();
    if (byTag === null) {
      byTag = new Map();
      for (const article of articles) {
        for (const t of article.tags) {
          const key = tagKey(t);
          const bucket = byTag.get(key);
          if (bucket) bucket.push(article);
          else byTag.set(key, [article]);
        }
      }
    }
    return byTag.get(tagKey(tag)) ?? [];
  };
  const cached = (key: string, render: () => Rendered) => cache.get(content.version, key, render);
  const startedAt = new Date();

  const listing = (
    articles: Article[],
    key: string,
    page: number,
    tag?: string,
  ): Rendered | null => {
    const totalPages = Math.max(1, Math.ceil(articles.length / config.pageSize));
    if (!Number.isInteger(page) || page < 1 || page > totalPages) return null;
    return cached(`${key}:${page}`, () => {
      const slice = articles.slice((page - 1) * config.pageSize, page * config.pageSize);
      const site = content.current().site;
      const html = renderIndexPage({ site, articles: slice, page, totalPages, urls, tag });
      const actor = urls.actor(site.actor.username);
      return rendered(html, HTML, newest(articles), {
        Link: `<${actor}>; rel="alternate"; type="application/activity+json"`,
      });
    });
  };

  // Web-based readers and portals fetch the feeds from other origins.
  const corsFeed = { "Access-Control-Allow-Origin": "*" };
  // The three feeds come from one list, so they are rendered together.
  let feedsVersion = -1;
  let feedSet: Record<FeedKind, Rendered> | undefined;

  return {
    index: (page) => listing(published(), "index", page),
    tag: (tag, page) => {
      const articles = tagged(tag);
      const key = tagKey(tag);
      // The tag as the articles spell it, not as the URL happened to.
      const name = articles[0]?.tags.find((t) => tagKey(t) === key);
      if (name === undefined) return null;
      return listing(articles, `tag:${key}`, page, name);
    },
    prepare: async (slug) => {
      published();
      if (bySlug.has(slug)) await deps.conversations.load(slug);
    },
    article: (slug) => {
      published();
      const article = bySlug.get(slug);
      if (!article) return null;
      const talk = deps.conversations.peek(slug);
      // Not in memory yet: the Hono route prepares it (the fast path hands over).
      if (talk === undefined) return null;
      return cached(`article:${slug}:${talk.stamp}`, () =>
        rendered(
          renderArticlePage({
            site: content.current().site,
            article,
            urls,
            conversation: renderConversation({
              site: content.current().site,
              urls,
              counts: talk.counts,
              replies: talk.replies,
              articleUrl: urls.article(slug),
              moderated: content.current().site.replies !== "open",
            }),
          }),
          HTML,
          latest(article.updated ?? article.published, talk.changedAt),
          {
            Vary: "Accept",
            Link: `<${urls.article(slug)}>; rel="alternate"; type="application/activity+json"`,
          },
        ),
      );
    },
    feed: (kind) => {
      if (!feedSet || feedsVersion !== content.version) {
        const site = content.current().site;
        const out = renderFeeds({ site, articles: published(), urls, limit: config.feedLimit });
        feedSet = {
          rss: rendered(out.rss, FEED_TYPES.rss, out.updated, corsFeed),
          atom: rendered(out.atom, FEED_TYPES.atom, out.updated, corsFeed),
          json: rendered(out.json, FEED_TYPES.json, out.updated, corsFeed),
        };
        feedsVersion = content.version;
      }
      return feedSet[kind];
    },
    sitemap: () =>
      cached("sitemap", () => {
        const articles = published();
        return rendered(
          renderSitemap(articles, urls),
          "application/xml; charset=utf-8",
          newest(articles),
        );
      }),
    robots: () =>
      cached("robots", () =>
        rendered(
          `User-agent: *\nAllow: /\n\nSitemap: ${urls.absolute("/sitemap.xml")}\n`,
          "text/plain; charset=utf-8",
          // Its text changes only with ORIGIN, i.e. with a restart.
          startedAt,
        ),
      ),
  };
}
