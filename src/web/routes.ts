/**
 * The site's routes: one table that the Hono routes, the Node fast path, the
 * "is this a site request" check and the 405s are all built from. Adding a
 * page or a feed is one row here (and its template in `urls.ts`).
 */
import { type Params, type PathMatcher, pathMatcher } from "../path-templates.ts";
import { type FeedKind, PATHS } from "../urls.ts";
import type { Rendered } from "./conditional.ts";
import type { SiteResources } from "./site-resources.ts";

/** A page or feed answered from the rendered resources. */
export interface RenderedRoute {
  kind: "rendered";
  /** A template from {@link PATHS}. */
  path: string;
  /** The answer, or null when there is no such page. `page` is `?page=` (1 without). */
  render(site: SiteResources, params: Params, page: number): Rendered | null;
  /**
   * Also answered by the Node fast path when the request has no query and the
   * parameters need no decoding (the hottest requests: see `fast-path.ts`).
   */
  fast?: boolean;
  /** The same URL is Fedify's for clients asking for ActivityStreams (the article's Note). */
  negotiated?: boolean;
  /** Loads what `render` needs beyond the content, before the Hono route renders. */
  prepare?: (site: SiteResources, params: Params) => Promise<void>;
  /** When `render` finds nothing: a removed article answers 410 Gone, not 404. */
  gone?: (params: Params) => string | undefined;
}

/** Files under `content/` (images), streamed from disk. */
export interface MediaRoute {
  kind: "media";
  path: string;
}

/** Pictures kept in the store: uploaded pictures' renditions, and remote avatars fetched once. */
export interface StoredImageRoute {
  kind: "stored-image";
  path: string;
  image: "picture" | "avatar";
}

/**
 * The actor's URL: Fedify answers it first (ActivityStreams); a browser that
 * follows the "follow on the fediverse" link is sent to the home page.
 */
export interface ActorPageRoute {
  kind: "actor-page";
  path: string;
}

/** `/healthz` (liveness, no I/O) and `/readyz` (readiness), for load balancers and systemd. */
export interface HealthRoute {
  kind: "health";
  path: string;
  probe: "liveness" | "readiness";
}

export type SiteRoute =
  | RenderedRoute
  | MediaRoute
  | StoredImageRoute
  | ActorPageRoute
  | HealthRoute;

const archive = (s: SiteResources, kind: FeedKind, p: Params) =>
  s.archive(kind, p.year ?? "", p.month ?? "");

export const SITE_ROUTES: readonly SiteRoute[] = [
  { kind: "rendered", path: PATHS.home, render: (s, _p, page) => s.index(page), fast: true },
  {
    kind: "rendered",
    path: PATHS.article,
    render: (s, p) => s.article(p.slug ?? ""),
    prepare: (s, p) => s.prepare(p.slug ?? ""),
    fast: true,
    negotiated: true,
    gone: (p) => p.slug,
  },
  {
    kind: "rendered",
    path: PATHS.tag,
    render: (s, p, page) => s.tag(p.tag ?? "", page),
    fast: true,
  },
  { kind: "rendered", path: PATHS.rss, render: (s) => s.feed("rss"), fast: true },
  { kind: "rendered", path: PATHS.atom, render: (s) => s.feed("atom"), fast: true },
  { kind: "rendered", path: PATHS.jsonFeed, render: (s) => s.feed("json"), fast: true },
  { kind: "rendered", path: PATHS.tags, render: (s) => s.tags() },
  {
    kind: "rendered",
    path: PATHS.tagRss,
    render: (s, p) => s.tagFeed("rss", p.tag ?? ""),
    fast: true,
  },
  {
    kind: "rendered",
    path: PATHS.tagAtom,
    render: (s, p) => s.tagFeed("atom", p.tag ?? ""),
    fast: true,
  },
  {
    kind: "rendered",
    path: PATHS.tagJsonFeed,
    render: (s, p) => s.tagFeed("json", p.tag ?? ""),
    fast: true,
  },
  { kind: "rendered", path: PATHS.archiveRss, render: (s, p) => archive(s, "rss", p), fast: true },
  {
    kind: "rendered",
    path: PATHS.archiveAtom,
    render: (s, p) => archive(s, "atom", p),
    fast: true,
  },
  {
    kind: "rendered",
    path: PATHS.archiveJsonFeed,
    render: (s, p) => archive(s, "json", p),
    fast: true,
  },
  { kind: "rendered", path: PATHS.opml, render: (s) => s.opml() },
  { kind: "rendered", path: PATHS.sitemap, render: (s) => s.sitemap() },
  { kind: "rendered", path: PATHS.robots, render: (s) => s.robots() },
  { kind: "media", path: PATHS.media },
  { kind: "stored-image", path: PATHS.picture, image: "picture" },
  { kind: "stored-image", path: PATHS.avatar, image: "avatar" },
  { kind: "actor-page", path: PATHS.actor },
  { kind: "health", path: PATHS.healthz, probe: "liveness" },
  { kind: "health", path: PATHS.readyz, probe: "readiness" },
];

/** Whether a client asks for ActivityStreams rather than a page. */
export function wantsActivityStreams(accept: string | undefined): boolean {
  return accept != null && /application\/(activity\+json|ld\+json)/i.test(accept);
}

/** Routes that only read: other methods get 405 with `Allow: GET, HEAD`. */
export function readOnlyRoutes(routes: readonly SiteRoute[] = SITE_ROUTES): SiteRoute[] {
  return routes.filter((r) => r.kind !== "actor-page");
}

/**
 * Builds the check for requests only the site routes answer: pages, feeds,
 * media, read by browsers and feed readers. They skip Fedify's router (URL
 * patterns through a polyfill cost most of a cached feed's CPU time in the
 * benchmark's profile) and the per-request log context (they log nothing but
 * errors, which carry the request id themselves). Negotiated URLs are
 * Fedify's when the client asks for ActivityStreams.
 */
export function siteRequestCheck(
  routes: readonly SiteRoute[] = SITE_ROUTES,
): (method: string, path: string, accept: string | undefined) => boolean {
  const fixed = new Map<string, SiteRoute>();
  const patterned: { route: SiteRoute; matcher: PathMatcher }[] = [];
  for (const route of readOnlyRoutes(routes)) {
    if (route.path.includes("{")) patterned.push({ route, matcher: pathMatcher(route.path) });
    else fixed.set(route.path, route);
  }
  const negotiated = (route: SiteRoute, accept: string | undefined) =>
    route.kind === "rendered" && route.negotiated === true && wantsActivityStreams(accept);
  return (method, path, accept) => {
    if (method !== "GET" && method !== "HEAD") return false;
    const exact = fixed.get(path);
    if (exact) return !negotiated(exact, accept);
    for (const { route, matcher } of patterned) {
      if (matcher.match(path)) return !negotiated(route, accept);
    }
    return false;
  };
}

/** The check for the table above. */
export const isSiteRequest = siteRequestCheck();
