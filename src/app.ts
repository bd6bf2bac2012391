import type { RequestListener } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { getLogger } from "@logtape/logtape";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Config } from "./config.ts";
import type { LoaFederation } from "./federation/index.ts";
import { type NewsroomDeps, newsroomRoutes } from "./newsroom/http/index.ts";
import { renderErrorPage, renderNotFoundPage } from "./pages/index.ts";
import { honoPattern } from "./path-templates.ts";
import { PATHS } from "./urls.ts";
import { type ObserveRequest, requestEnvelope } from "./web/envelope.ts";
import { withFastPath } from "./web/fast-path.ts";
import { federationMiddleware } from "./web/federation-middleware.ts";
import type { WebEnv } from "./web/header-policy.ts";
import { inboxGuard, isDocumentError } from "./web/inbox-guard.ts";
import { createSiteResources } from "./web/site-resources.ts";
import { type SiteRoutesDeps, siteRoutes } from "./web/site-routes.ts";

const logger = getLogger(["loa", "http"]);

export interface AppDeps extends SiteRoutesDeps {
  config: SiteRoutesDeps["config"] & Pick<Config, "inboxMaxBytes">;
  /** ActivityPub (Fedify), asked first for every request but the site's own; none in site-only tests. */
  federation?: LoaFederation;
  /** Counts each answered request by route (metrics); null when metrics are off. */
  observeRequest: ObserveRequest | null;
  /** The staff's newsroom at `/admin/`; none in tests of the public site alone. */
  newsroom?: NewsroomDeps;
  /** The WebSub hub's routes (`POST /websub`, from `websub/`); none without a hub. */
  hub?: Hono<WebEnv>;
}

/** Builds the whole HTTP surface from its parts; `main.ts` only serves it. */
export function createApp(deps: AppDeps): Hono<WebEnv> {
  const { content, urls } = deps;
  const app = new Hono<WebEnv>();

  app.use(requestEnvelope(deps.observeRequest));
  // Enforced while the body streams in, so an oversized inbox POST is cut off
  // before it is buffered (413), and never reaches signature verification.
  const limit = bodyLimit({
    maxSize: deps.config.inboxMaxBytes,
    onError: (c) => c.text("Request body too large", 413),
  });
  app.post(honoPattern(PATHS.sharedInbox), limit, inboxGuard());
  app.post(honoPattern(PATHS.inbox), limit, inboxGuard());
  // Before Fedify: `/admin/` is never an ActivityPub path, and its router need not be asked.
  if (deps.newsroom) app.route("/", newsroomRoutes(deps.newsroom));
  // Before Fedify too: `/websub` is never an ActivityPub path.
  if (deps.hub) app.route("/", deps.hub);
  if (deps.federation) app.use(federationMiddleware(deps.federation, deps.urls.origin));

  app.route("/", siteRoutes(deps));

  app.notFound((c) => {
    const html = renderNotFoundPage({ site: content.current().site, urls });
    return c.html(html, 404);
  });
  app.onError((error, c) => {
    if (c.req.method === "POST" && c.req.path.endsWith("/inbox") && isDocumentError(error)) {
      // A document jsonld cannot interpret (or one that overflows the stack) is the
      // sender's fault, not ours: 400, not 500.
      logger.warning("Refused an inbox document: {error}", { error: error.message });
      return c.text("Activity could not be interpreted as JSON-LD", 400);
    }
    logger.error("Unhandled error on {method} {path}: {error}", {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      error,
    });
    // Never a stack trace in a response.
    return c.html(renderErrorPage({ site: content.current().site, urls }), 500);
  });
  return app;
}

/**
 * The Node request listener `main.ts` serves: the hottest site requests from
 * the fast path (`web/fast-path.ts`), everything else through the Hono app,
 * both answering from one set of rendered pages and feeds.
 */
export function createListener(deps: AppDeps): RequestListener {
  const resources = deps.resources ?? createSiteResources(deps);
  const app = createApp({ ...deps, resources });
  // A request without a Host header (HTTP/1.0) is read as made to ORIGIN's host.
  const hostname = new URL(deps.urls.home()).host;
  return withFastPath(resources, getRequestListener(app.fetch, { hostname }), deps.observeRequest);
}
