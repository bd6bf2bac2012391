import { randomUUID } from "node:crypto";
import { withContext } from "@logtape/logtape";
import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { PAGE_CSP } from "../pages/index.ts";
import type { ObserveRequest } from "./fast-path.ts";
import { requestHeader } from "./request-headers.ts";
import { isSiteRequest } from "./routes.ts";

/**
 * The hardening headers every response carries. Fewer than Hono's
 * `secureHeaders` sets: the legacy ones (X-XSS-Protection, X-Download-Options,
 * X-Permitted-Cross-Domain-Policies, X-DNS-Prefetch-Control) protect browsers
 * nobody runs, and header bytes are a large part of what a cached feed costs
 * to send. Cross-origin resource policy is open: feed readers and portals
 * fetch our feeds and embed our images. HSTS is left to the TLS-terminating
 * proxy, which knows whether the site is served over https.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Cross-Origin-Resource-Policy": "cross-origin",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
};

/** The same plus the pages' content security policy, for HTML. */
export const HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  "Cross-Origin-Opener-Policy": "same-origin",
  // For browsers without CSP `frame-ancestors`.
  "X-Frame-Options": "SAMEORIGIN",
  "Content-Security-Policy": PAGE_CSP,
};

/** What the envelope keeps for one request, in Hono's per-request context. */
export interface WebEnv {
  Variables: {
    /** The id the envelope gave this request (for log lines outside its context). */
    requestId: string;
    /**
     * Set when the response was built carrying {@link SECURITY_HEADERS}: the hot
     * paths (pages, feeds) build their responses with them, because touching a
     * finished response's headers turns @hono/node-server's lightweight
     * response into a full one, which cost a third of the throughput in the
     * benchmark.
     */
    secured: boolean;
  };
}

/**
 * The route a request took, as a template: the last Hono route it matched,
 * or `activitypub` for what Fedify answered (its router is not Hono's), or
 * `unmatched`.
 */
function routeLabel(c: Context<WebEnv>): string {
  const path = routePath(c, -1);
  if (path !== "*" && path !== "/*") return path;
  return c.res.status === 404 ? "unmatched" : "activitypub";
}

/** The id for a request: a proxy's `X-Request-Id` when it is plainly an id (it goes into log lines), else a new one. */
export function requestIdFrom(given: string | undefined): string {
  return given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/**
 * What every request gets, in one middleware because each Hono layer costs
 * about a tenth of the throughput of a cached feed (measured with wrk): a
 * request id (`X-Request-Id`, and in every log line through LogTape's
 * context, but for site requests, which log only errors), and the security
 * headers on responses not built with them.
 */
export function requestEnvelope(observe: ObserveRequest): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = requestIdFrom(requestHeader(c, "x-request-id"));
    // Set on the finished response below, or by `respond()` on the hot paths:
    // `c.header()` here would make Hono build every response's headers as a
    // WHATWG `Headers`, one validated `set()` at a time.
    c.set("requestId", requestId);
    if (isSiteRequest(c.req.method, c.req.path, requestHeader(c, "accept"))) await next();
    else await withContext({ requestId, method: c.req.method, path: c.req.path }, next);
    observe(routeLabel(c), c.req.method, c.res.status, (performance.now() - started) / 1000);
    if (c.get("secured")) return;
    if (!c.res.headers.has("X-Request-Id")) c.res.headers.set("X-Request-Id", requestId);
    const html = c.res.headers.get("content-type")?.startsWith("text/html") ?? false;
    for (const [name, value] of Object.entries(html ? HTML_SECURITY_HEADERS : SECURITY_HEADERS)) {
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    }
  };
}
