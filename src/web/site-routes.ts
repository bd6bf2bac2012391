import { type Context, Hono } from "hono";
import type { Config } from "../config.ts";
import type { Article, ContentSource } from "../content/types.ts";
import {
  ATOM_CONTENT_TYPE,
  JSON_FEED_CONTENT_TYPE,
  RSS_CONTENT_TYPE,
  renderFeeds,
} from "../feeds/render.ts";
import { renderArticlePage, renderIndexPage, renderNotFoundPage } from "../pages/index.ts";
import type { Urls } from "../urls.ts";
import { type Rendered, rendered, respond } from "./conditional.ts";
import { serveMedia } from "./media.ts";
import { RenderCache } from "./render-cache.ts";

const HTML = "text/html; charset=utf-8";
const FEED_TYPES = {
  rss: RSS_CONTENT_TYPE,
  atom: ATOM_CONTENT_TYPE,
  json: JSON_FEED_CONTENT_TYPE,
} as const;

export interface SiteRoutesDeps {
  config: Pick<Config, "contentDir" | "feedLimit" | "pageSize">;
  urls: Urls;
  content: ContentSource;
  /** True when the article was published and then removed (answers 410, not 404). */
  isGone?: (slug: string) => Promise<boolean>;
  clock?: () => Date;
}

const EPOCH = new Date(0);

function newest(articles: readonly Article[]): Date {
  let max = EPOCH;
  for (const a of articles) {
    const t = a.updated ?? a.published;
    if (t > max) max = t;
  }
  return max;
}

/** Pages, feeds and media: everything a browser or a feed reader asks for. */
export function siteRoutes(deps: SiteRoutesDeps): Hono {
  const { urls, content, config } = deps;
  const clock = deps.clock ?? (() => new Date());
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
  // Hashtags match case-insensitively, as on Mastodon.
  const tagKey = (tag: string) => tag.toLocaleLowerCase("vi");
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
  // Web-based readers and portals fetch the feeds from other origins.
  const corsFeed = { "Access-Control-Allow-Origin": "*" };
  // The three feeds come from one list, so they are rendered together.
  let feedsVersion = -1;
  let feedSet: Record<keyof typeof FEED_TYPES, Rendered> | undefined;
  const feed = (kind: keyof typeof FEED_TYPES): Rendered => {
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
  };
  const app = new Hono();

  const listing = (c: Context, articles: Article[], key: string, tag?: string) => {
    const raw = c.req.query("page");
    const page = raw === undefined ? 1 : Number(raw);
    const totalPages = Math.max(1, Math.ceil(articles.length / config.pageSize));
    if (!Number.isInteger(page) || page < 1 || page > totalPages) return c.notFound();
    const r = cached(`${key}:${page}`, () => {
      const slice = articles.slice((page - 1) * config.pageSize, page * config.pageSize);
      const site = content.current().site;
      const html = renderIndexPage({ site, articles: slice, page, totalPages, urls, tag });
      const actor = urls.actor(site.actor.username);
      return rendered(html, HTML, newest(articles), {
        Link: `<${actor}>; rel="alternate"; type="application/activity+json"`,
      });
    });
    return respond(c, r);
  };

  app.get("/", (c) => listing(c, published(), "index"));

  app.get("/tags/:tag", (c) => {
    const articles = tagged(c.req.param("tag"));
    const key = tagKey(c.req.param("tag"));
    // The tag as the articles spell it, not as the URL happened to.
    const name = articles[0]?.tags.find((t) => tagKey(t) === key);
    if (name === undefined) return c.notFound();
    return listing(c, articles, `tag:${key}`, name);
  });

  app.get("/articles/:slug", async (c) => {
    const slug = c.req.param("slug");
    published();
    const article = bySlug.get(slug);
    if (!article) {
      if (deps.isGone && (await deps.isGone(slug))) {
        const site = content.current().site;
        const html = renderNotFoundPage({ site, urls, message: "Bài viết này đã bị gỡ." });
        return c.html(html, 410, { Vary: "Accept" });
      }
      return c.notFound();
    }
    const r = cached(`article:${slug}`, () =>
      rendered(
        renderArticlePage({ site: content.current().site, article, urls }),
        HTML,
        article.updated ?? article.published,
        {
          Vary: "Accept",
          Link: `<${urls.article(slug)}>; rel="alternate"; type="application/activity+json"`,
        },
      ),
    );
    return respond(c, r);
  });

  app.get("/rss.xml", (c) => respond(c, feed("rss")));
  app.get("/atom.xml", (c) => respond(c, feed("atom")));
  app.get("/feed.json", (c) => respond(c, feed("json")));

  // The site's resources are read-only: another method on them is 405 with
  // `Allow` (RFC 9110 §15.5.6), not a 404 that says the page does not exist.
  // The inboxes are Fedify's and are routed before these.
  const readOnly = ["/", "/rss.xml", "/atom.xml", "/feed.json", "/articles/:slug", "/tags/:tag"];
  app.on(["POST", "PUT", "PATCH", "DELETE"], [...readOnly, "/media/*"], (c) =>
    c.text("Method Not Allowed", 405, { Allow: "GET, HEAD" }),
  );

  app.get("/media/*", async (c) => {
    let path: string;
    try {
      path = decodeURIComponent(c.req.path.slice("/media/".length));
    } catch {
      return c.notFound();
    }
    return (await serveMedia(c, config.contentDir, path)) ?? c.notFound();
  });

  return app;
}
