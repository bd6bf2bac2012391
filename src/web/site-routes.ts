import { type Context, Hono } from "hono";
import type { Config } from "../config.ts";
import { renderNotFoundPage } from "../pages/index.ts";
import { type Rendered, respond } from "./conditional.ts";
import { serveMedia } from "./media.ts";
import { FIXED_SITE_PATHS, SITE_PATH_PATTERNS } from "./site-paths.ts";
import {
  createSiteResources,
  type SiteResources,
  type SiteResourcesDeps,
} from "./site-resources.ts";

export interface SiteRoutesDeps extends SiteResourcesDeps {
  config: SiteResourcesDeps["config"] & Pick<Config, "contentDir">;
  /** True when the article was published and then removed (answers 410, not 404). */
  isGone?: (slug: string) => Promise<boolean>;
  /** The rendered pages and feeds, when shared with the Node fast path. */
  resources?: SiteResources;
}

/** Pages, feeds and media: everything a browser or a feed reader asks for. */
export function siteRoutes(deps: SiteRoutesDeps): Hono {
  const { urls, content, config } = deps;
  const site = deps.resources ?? createSiteResources(deps);
  const app = new Hono();
  const page = (c: Context): number => {
    const raw = c.req.query("page");
    return raw === undefined ? 1 : Number(raw);
  };
  const answer = (c: Context, r: Rendered | null) => (r ? respond(c, r) : c.notFound());

  app.get("/", (c) => answer(c, site.index(page(c))));
  app.get("/tags/:tag", (c) => answer(c, site.tag(c.req.param("tag"), page(c))));

  app.get("/articles/:slug", async (c) => {
    const slug = c.req.param("slug");
    const r = site.article(slug);
    if (r) return respond(c, r);
    if (deps.isGone && (await deps.isGone(slug))) {
      const html = renderNotFoundPage({
        site: content.current().site,
        urls,
        message: "Bài viết này đã bị gỡ.",
      });
      return c.html(html, 410, { Vary: "Accept" });
    }
    return c.notFound();
  });

  // The "follow on the fediverse" link on every page is the actor's URL. Fedify
  // answers it to ActivityPub clients; a citizen who clicks it in a browser
  // reaches here (Fedify's not-acceptable fall-through) and is sent to the home
  // page, which shows the handle, as Mastodon sends /users/x to the profile.
  app.get("/users/:username", (c) => {
    const username = content.current().site.actor.username;
    if (c.req.param("username") !== username) return c.notFound();
    c.header("Vary", "Accept");
    return c.redirect(urls.home(), 302);
  });

  app.get("/sitemap.xml", (c) => respond(c, site.sitemap()));
  app.get("/robots.txt", (c) => respond(c, site.robots()));

  app.get("/rss.xml", (c) => respond(c, site.feed("rss")));
  app.get("/atom.xml", (c) => respond(c, site.feed("atom")));
  app.get("/feed.json", (c) => respond(c, site.feed("json")));

  // The site's resources are read-only: another method on them is 405 with
  // `Allow` (RFC 9110 §15.5.6), not a 404 that says the page does not exist.
  // The inboxes are Fedify's and are routed before these.
  app.on(["POST", "PUT", "PATCH", "DELETE"], [...FIXED_SITE_PATHS, ...SITE_PATH_PATTERNS], (c) =>
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
