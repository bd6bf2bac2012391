import { BoundedMap } from "../bounded-map.ts";
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { Article, ContentSource } from "../content/types.ts";
import { renderSitemap } from "../feeds/sitemap.ts";
import { renderConversation } from "../pages/conversation.ts";
import { renderArticlePage, renderIndexPage } from "../pages/index.ts";
import { renderTagsPage } from "../pages/tags-page.ts";
import type { Conversations } from "../read-models/conversations.ts";
import { newestChange, publishedView, tagLookupKey } from "../read-models/published-view.ts";
import type { Urls } from "../urls.ts";
import type { Rendered } from "./conditional.ts";
import { createFeedResources, type FeedResources } from "./feed-resources.ts";
import { RenderCache } from "./render-cache.ts";
import { createValidatorHistory, datedRender, type ValidatorHistory } from "./validator-history.ts";

export type { FeedKind } from "../urls.ts";
export type { Topic } from "./feed-resources.ts";

const HTML = "text/html; charset=utf-8";
const EPOCH = new Date(0);

export interface SiteResourcesDeps {
  config: Pick<Config, "feedLimit" | "pageSize">;
  urls: Urls;
  content: ContentSource;
  clock: Clock;
  /** Replies, likes and boosts shown under each article. */
  conversations: Conversations;
  /**
   * Where each resource's `Last-Modified` is remembered (`loadValidatorHistory(kv)`
   * in `main.ts`, so it survives restarts). Left out (tests of one process's
   * life), it is kept in memory: it still never goes back while the process runs.
   */
  validators?: ValidatorHistory;
}

/**
 * The site's pages and feeds as rendered bodies, each rendered once per
 * content version. `null` means there is no such page. Shared by the Hono
 * routes and the Node fast path (`fast-path.ts`), so both answer with the
 * same bytes and validators. Every `Last-Modified` comes from the validator
 * history (`validator-history.ts`): it moves with every change to what the
 * document shows and never goes back. The feeds, archives, OPML and the
 * WebSub topics are {@link FeedResources}.
 */
export interface SiteResources extends FeedResources {
  /** Page `page` (from 1) of the index. */
  index(page: number): Rendered | null;
  /**
   * Loads what `article(slug)` needs beyond the content (its conversation),
   * so that `article` can answer; a no-op for a slug with no article.
   */
  prepare(slug: string): Promise<void>;
  /** Page `page` of the articles tagged `tag` (any case, either Unicode normal form). */
  tag(tag: string, page: number): Rendered | null;
  article(slug: string): Rendered | null;
  /** `/tags`: every tag with its article count. */
  tags(): Rendered;
  /** `/sitemap.xml`: the home page and every published article. */
  sitemap(): Rendered;
  /** `/robots.txt`: everything may be crawled; the sitemap's address. */
  robots(): Rendered;
}

/** Article pages whose render-cache key is kept between requests. */
const ARTICLE_KEYS_KEPT = 4096;

function latest(a: Date, b: Date | null): Date {
  return b !== null && b > a ? b : a;
}

export function createSiteResources(deps: SiteResourcesDeps): SiteResources {
  const { urls, content, config, clock } = deps;
  const cache = new RenderCache();
  const view = publishedView(content, clock);
  const render = datedRender(deps.validators ?? createValidatorHistory(), content);
  const site = () => content.current().site;
  const cached = (key: string, make: () => Rendered) => cache.get(content.version, key, make);
  // One entry per published article asked for (a slug not in the view never gets one), bounded.
  const articleKeys = new BoundedMap<string, { stamp: string; key: string }>(ARTICLE_KEYS_KEPT);
  const actorLink = () => ({
    Link: `<${urls.actor(site().actor.username)}>; rel="alternate"; type="application/activity+json"`,
  });

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
      const html = renderIndexPage({ site: site(), articles: slice, page, totalPages, urls, tag });
      return render(`${key}:${page}`, html, HTML, newestChange(articles), actorLink());
    });
  };

  const feeds = createFeedResources({
    config,
    urls,
    site,
    version: () => content.version,
    view,
    render,
  });

  return {
    ...feeds,
    index: (page) => listing(view().articles, "index", page),
    tag: (tag, page) => {
      const tagged = view().tagged(tag);
      if (tagged === undefined) return null;
      // The tag as the articles spell it, not as the URL happened to.
      return listing(tagged.articles, `tag:${tagLookupKey(tagged.name)}`, page, tagged.name);
    },
    prepare: async (slug) => {
      if (view().bySlug(slug)) await deps.conversations.load(slug);
    },
    article: (slug) => {
      const article = view().bySlug(slug);
      if (!article) return null;
      const talk = deps.conversations.peek(slug);
      // Not in memory yet: the Hono route prepares it (the fast path hands over).
      if (talk === undefined) return null;
      // The same key string while the conversation is unchanged: a new one per
      // request was hashed and compared in full each time (~0.4 µs in the profile).
      let key = articleKeys.get(slug);
      if (key?.stamp !== talk.stamp) {
        key = { stamp: talk.stamp, key: `article:${slug}:${talk.stamp}` };
        articleKeys.set(slug, key);
      }
      return cached(key.key, () =>
        render(
          `article:${slug}`,
          renderArticlePage({
            site: site(),
            article,
            urls,
            conversation: renderConversation({
              site: site(),
              urls,
              counts: talk.counts,
              replies: talk.replies,
              articleUrl: urls.article(slug),
              moderated: site().replies !== "open",
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
    tags: () =>
      cached("tags", () => {
        const published = view();
        const html = renderTagsPage({ site: site(), urls, tags: published.tags() });
        return render("tags", html, HTML, published.newest, actorLink());
      }),
    sitemap: () =>
      cached("sitemap", () => {
        const published = view();
        const xml = renderSitemap(published.articles, urls);
        return render("sitemap", xml, "application/xml; charset=utf-8", published.newest);
      }),
    robots: () =>
      cached("robots", () =>
        render(
          "robots",
          `User-agent: *\nAllow: /\n\nSitemap: ${urls.absolute("/sitemap.xml")}\n`,
          "text/plain; charset=utf-8",
          // It carries no date: dated by the history (its text changes only with ORIGIN).
          EPOCH,
        ),
      ),
  };
}
