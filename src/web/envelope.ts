import { withContext } from "@logtape/logtape";
import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import {
  HTML_SECURITY_HEADERS,
  requestIdFrom,
  SECURITY_HEADERS,
  type WebEnv,
} from "./header-policy.ts";
import { requestHeader } from "./request-headers.ts";
import { isSiteRequest } from "./routes.ts";

/** Counts one answered request (metrics); `route` is a template, never the raw path. */
export type ObserveRequest = (
  route: string,
  method: string,
  status: number,
  seconds: number,
) => void;

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

/**
 * What every request gets, in one middleware because each Hono layer costs
 * about a tenth of the throughput of a cached feed (measured with wrk): a
 * request id (`X-Request-Id`, and in every log line through LogTape's
 * context, but for site requests, which log only errors), and the security
 * headers on responses not built with them.
 */
export function requestEnvelope(observe: ObserveRequest | null): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const started = observe === null ? 0 : performance.now();
    const requestId = requestIdFrom(requestHeader(c, "x-request-id"));
    // Set on the finished response below, or by `respond()` on the hot paths:
    // `c.header()` here would make Hono build every response's headers as a
    // WHATWG `Headers`, one validated `set()` at a time.
    c.set("requestId", requestId);
    if (isSiteRequest(c.req.method, c.req.path, requestHeader(c, "accept"))) await next();
    else await withContext({ requestId, method: c.req.method, path: c.req.path }, next);
    observe?.(routeLabel(c), c.req.method, c.res.status, (performance.now() - started) / 1000);
    if (c.get("secured")) return;
    if (!c.res.headers.has("X-Request-Id")) c.res.headers.set("X-Request-Id", requestId);
    const html = c.res.headers.get("content-type")?.startsWith("text/html") ?? false;
    for (const [name, value] of Object.entries(html ? HTML_SECURITY_HEADERS : SECURITY_HEADERS)) {
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    }
  };
}
