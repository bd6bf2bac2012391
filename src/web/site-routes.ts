import { type Context, Hono } from "hono";
import type { Config } from "../config.ts";
import { type Health, healthResponse } from "../operations/health.ts";
import { renderGonePage } from "../pages/index.ts";
import { honoPattern } from "../path-templates.ts";
import { respond } from "./conditional.ts";
import type { WebEnv } from "./header-policy.ts";
import { serveMedia } from "./media.ts";
import { readOnlyRoutes, SITE_ROUTES, type SiteRoute } from "./routes.ts";
import {
  createSiteResources,
  type SiteResources,
  type SiteResourcesDeps,
} from "./site-resources.ts";
import { type StoredImages, serveAvatar, serveRendition } from "./stored-images.ts";

export interface SiteRoutesDeps extends SiteResourcesDeps {
  config: SiteResourcesDeps["config"] & Pick<Config, "contentDir">;
  /** True when the article was published and then removed (answers 410, not 404). */
  isGone?: (slug: string) => Promise<boolean>;
  /** The rendered pages and feeds, when shared with the Node fast path. */
  resources?: SiteResources;
  /** Liveness and readiness (`/healthz`, `/readyz`). */
  health: Pick<Health, "liveness" | "readiness">;
  /** Uploaded pictures and cached avatars; without it (site-only tests) they are 404 and placeholders. */
  images?: StoredImages;
}

const NO_IMAGES: StoredImages = { rendition: async () => null, avatar: async () => null };

/** Pages, feeds and media: everything a browser or a feed reader asks for, from the route table. */
export function siteRoutes(
  deps: SiteRoutesDeps,
  routes: readonly SiteRoute[] = SITE_ROUTES,
): Hono<WebEnv> {
  const { urls, content, config } = deps;
  const site = deps.resources ?? createSiteResources(deps);
  const app = new Hono<WebEnv>();
  const page = (c: Context): number => {
    const raw = c.req.query("page");
    return raw === undefined ? 1 : Number(raw);
  };

  for (const route of routes) {
    const pattern = honoPattern(route.path);
    if (route.kind === "rendered") {
      app.get(pattern, async (c) => {
        const params = c.req.param() as Record<string, string>;
        await route.prepare?.(site, params);
        const r = route.render(site, params, page(c));
        if (r) return respond(c, r);
        const slug = route.gone?.(params);
        if (slug !== undefined && deps.isGone && (await deps.isGone(slug))) {
          const html = renderGonePage({ site: content.current().site, urls });
          return c.html(html, 410, { Vary: "Accept" });
        }
        return c.notFound();
      });
    } else if (route.kind === "media") {
      const prefix = pattern.slice(0, -1);
      app.get(pattern, async (c) => {
        let path: string;
        try {
          path = decodeURIComponent(c.req.path.slice(prefix.length));
        } catch {
          return c.notFound();
        }
        return (await serveMedia(c, config.contentDir, path)) ?? c.notFound();
      });
    } else if (route.kind === "stored-image") {
      const images = deps.images ?? NO_IMAGES;
      app.get(pattern, async (c) => {
        const p = c.req.param() as Record<string, string>;
        if (route.image === "avatar") return serveAvatar(c, images, p.key ?? "");
        return (await serveRendition(c, images, p.id ?? "", p.file ?? "")) ?? c.notFound();
      });
    } else if (route.kind === "health") {
      app.get(pattern, async () =>
        healthResponse(
          route.probe === "liveness" ? deps.health.liveness() : await deps.health.readiness(),
        ),
      );
    } else {
      // Fedify answers the actor's URL to ActivityPub clients; a citizen who
      // clicks it in a browser reaches here (Fedify's not-acceptable
      // fall-through) and is sent to the home page, which shows the handle, as
      // Mastodon sends /users/x to the profile.
      app.get(pattern, (c) => {
        const username = content.current().site.actor.username;
        if (Object.values(c.req.param()).at(0) !== username) return c.notFound();
        c.header("Vary", "Accept");
        return c.redirect(urls.home(), 302);
      });
    }
  }

  // The site's resources are read-only: another method on them is 405 with
  // `Allow` (RFC 9110 §15.5.6), not a 404 that says the page does not exist.
  // The inboxes are Fedify's and are routed before these.
  const readOnly = readOnlyRoutes(routes).map((r) => honoPattern(r.path));
  app.on(["POST", "PUT", "PATCH", "DELETE"], readOnly, (c) =>
    c.text("Method Not Allowed", 405, { Allow: "GET, HEAD" }),
  );

  return app;
}
