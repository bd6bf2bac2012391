import type { IncomingMessage, RequestListener } from "node:http";
import { getLogger } from "@logtape/logtape";
import { BoundedMap } from "../bounded-map.ts";
import { honoPattern, type Params, type PathMatcher, pathMatcher } from "../path-templates.ts";
import { headerListFor, matchesValidators, type Rendered, variantFor } from "./conditional.ts";
import type { ObserveRequest } from "./envelope.ts";
import { requestIdFrom } from "./header-policy.ts";
import { headerValue } from "./request-headers.ts";
import { type RenderedRoute, SITE_ROUTES, type SiteRoute, wantsActivityStreams } from "./routes.ts";
import type { SiteResources } from "./site-resources.ts";

const logger = getLogger(["loa", "http"]);

/**
 * Parameters as they are spelled when decoding them cannot differ from Hono's
 * (which decodes the path with `decodeURI` first): unreserved characters, and
 * escapes of a space or of UTF-8 bytes (a Vietnamese tag, `Du%20l%E1%BB%8Bch`),
 * whose decoding holds no `%` and no reserved character. Anything else (`%2F`,
 * `%25`, `+`) goes to Hono.
 */
const PLAIN_SEGMENT = "(?:[A-Za-z0-9._~-]|%20|%[89A-Fa-f][0-9A-Fa-f])+";

/** The rendered answer to a request, and the route (its template) that gave it. */
export interface FastAnswer {
  /** The route's Hono pattern (`/articles/:slug`), as metrics label it. */
  route: string;
  rendered: Rendered;
}

type Lookup = (site: SiteResources, req: IncomingMessage) => FastAnswer | null;

interface Matched {
  route: RenderedRoute;
  params: Params;
}

const NO_PARAMS: Params = Object.freeze({});
/** How many matched URLs the lookup keeps, and the longest it keeps (≤ ~1 MiB in all). */
const MATCH_MEMO_ENTRIES = 1024;
const MATCH_MEMO_URL_MAX = 256;

/** The fast routes of `routes`, compiled into one lookup of a request's exact URL. */
export function fastLookup(routes: readonly SiteRoute[] = SITE_ROUTES): Lookup {
  const fast = routes.filter((r): r is RenderedRoute => r.kind === "rendered" && r.fast === true);
  const fixed = new Map<string, Matched>(
    fast.filter((r) => !r.path.includes("{")).map((r) => [r.path, { route: r, params: NO_PARAMS }]),
  );
  const patterned: { route: RenderedRoute; matcher: PathMatcher }[] = fast
    .filter((r) => r.path.includes("{"))
    .map((route) => ({ route, matcher: pathMatcher(route.path, PLAIN_SEGMENT) }));
  // Labelled as the Hono routes are (`/articles/:slug`), so both paths count as one route.
  const labels = new Map(fast.map((r) => [r, honoPattern(r.path)]));
  // Matching a patterned URL (a regular expression per template, then the
  // escapes decoded) cost ~1.3 µs of an article or tag page in the profile;
  // the match depends on the URL alone, so it is kept for the URLs asked for
  // again. Bounded: a stranger asking for new URLs only empties it.
  const matched = new BoundedMap<string, Matched>(MATCH_MEMO_ENTRIES);
  const match = (url: string): Matched | null => {
    const known = matched.get(url);
    if (known !== undefined) return known;
    for (const { route, matcher } of patterned) {
      const params = matcher.match(url);
      if (params === null) continue;
      // Shared by every later request for the URL: frozen, so no route can change it.
      const found = { route, params: Object.freeze(params) };
      if (url.length <= MATCH_MEMO_URL_MAX) matched.set(url, found);
      return found;
    }
    return null;
  };
  return (site, req) => {
    if (req.method !== "GET" && req.method !== "HEAD") return null;
    // Exact paths with no query: `?page=2`, a trailing slash, a percent-escape
    // and everything else take the Hono routes, which answer them in full.
    const url = req.url ?? "";
    const found = fixed.get(url) ?? match(url);
    if (found === null) return null;
    const { route, params } = found;
    // The same URL with an ActivityStreams Accept is Fedify's (the Note).
    if (route.negotiated && wantsActivityStreams(req.headers.accept)) return null;
    const rendered = route.render(site, params, 1);
    return rendered === null ? null : { route: labels.get(route) ?? route.path, rendered };
  };
}

/**
 * Answers the hottest requests (the index, an article page, the three feeds)
 * straight from Node's `IncomingMessage` with the bodies and headers rendered
 * once per content change, and hands every other request to `fallback` (the
 * Hono app). Why not a Hono route: the bench's profile of a cached page had
 * Hono's compose, the adapter's Request/Response wrappers and their promise
 * chain as the largest cost after the socket write, and pages stood just
 * under half of nginx's throughput on the same bytes. The answers are the
 * same bytes, validators and headers as the Hono routes' (`respond()`), from
 * the same `SiteResources`; the site tests run against this path.
 */
export function withFastPath(
  site: SiteResources,
  fallback: RequestListener,
  observe: ObserveRequest | null,
  lookup: Lookup = fastLookup(),
): RequestListener {
  return (req, res) => {
    // No clock read when nothing counts (metrics off): two per request showed in the profile.
    const started = observe === null ? 0 : performance.now();
    let answer: FastAnswer | null;
    try {
      answer = lookup(site, req);
    } catch (error) {
      // Rendering failed: the Hono route renders again and answers with the error page.
      logger.warning("Fast path could not render {path}: {error}", { path: req.url, error });
      answer = null;
    }
    if (answer === null) {
      fallback(req, res);
      return;
    }
    const r = variantFor(answer.rendered, headerValue(req.headers, "accept-encoding"));
    const notModified = matchesValidators(
      r,
      headerValue(req.headers, "if-none-match"),
      headerValue(req.headers, "if-modified-since"),
    );
    const headers = headerListFor(
      r,
      notModified,
      requestIdFrom(headerValue(req.headers, "x-request-id")),
    );
    const method = req.method ?? "GET";
    if (notModified) {
      res.writeHead(304, headers);
      res.end();
    } else {
      res.writeHead(200, headers);
      // Node sends no body for HEAD either way; the length above is the GET's.
      res.end(method === "HEAD" ? undefined : r.body);
    }
    if (observe !== null) {
      observe(answer.route, method, notModified ? 304 : 200, (performance.now() - started) / 1000);
    }
  };
}
