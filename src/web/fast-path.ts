import type { IncomingMessage, RequestListener } from "node:http";
import { getLogger } from "@logtape/logtape";
import { headersFor, matchesValidators, type Rendered, variantFor } from "./conditional.ts";
import { requestIdFrom } from "./envelope.ts";
import { headerValue } from "./request-headers.ts";
import { wantsActivityStreams } from "./site-paths.ts";
import type { SiteResources } from "./site-resources.ts";

const logger = getLogger(["loa", "http"]);

/** Article URLs as slugs spell them; anything else (escapes, case) goes to Hono. */
const ARTICLE_PATH = /^\/articles\/([a-z0-9-]+)$/;

/** The already-rendered answer to this exact request, or null to let Hono decide. */
function lookup(site: SiteResources, req: IncomingMessage): Rendered | null {
  if (req.method !== "GET" && req.method !== "HEAD") return null;
  // Exact paths with no query: `?page=2`, a trailing slash, a percent-escape
  // and everything else take the Hono routes, which answer them in full.
  switch (req.url) {
    case "/":
      return site.index(1);
    case "/rss.xml":
      return site.feed("rss");
    case "/atom.xml":
      return site.feed("atom");
    case "/feed.json":
      return site.feed("json");
  }
  const slug = ARTICLE_PATH.exec(req.url ?? "")?.[1];
  // The same URL with an ActivityStreams Accept is Fedify's (the Note).
  if (slug === undefined || wantsActivityStreams(req.headers.accept)) return null;
  return site.article(slug);
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
export function withFastPath(site: SiteResources, fallback: RequestListener): RequestListener {
  return (req, res) => {
    let rendered: Rendered | null;
    try {
      rendered = lookup(site, req);
    } catch (error) {
      // Rendering failed: the Hono route renders again and answers with the error page.
      logger.warning("Fast path could not render {path}: {error}", { path: req.url, error });
      rendered = null;
    }
    if (rendered === null) {
      fallback(req, res);
      return;
    }
    const r = variantFor(rendered, headerValue(req.headers, "accept-encoding"));
    const notModified = matchesValidators(
      r,
      headerValue(req.headers, "if-none-match"),
      headerValue(req.headers, "if-modified-since"),
    );
    const headers = headersFor(
      r,
      notModified,
      requestIdFrom(headerValue(req.headers, "x-request-id")),
    );
    if (notModified) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    headers["Content-Length"] = String(r.body.byteLength);
    res.writeHead(200, headers);
    // Node sends no body for HEAD either way; the length above is the GET's.
    res.end(req.method === "HEAD" ? undefined : r.body);
  };
}
