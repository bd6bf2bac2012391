import type { IncomingHttpHeaders } from "node:http";
import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";

/**
 * One request header, read from Node's `IncomingMessage` when the app runs
 * under `@hono/node-server`. `c.req.header()` makes the adapter build a
 * WHATWG `Headers` from every incoming header on first use, which showed up in
 * the profile of a cached page; the hot paths read only two or three headers.
 * Under `app.request()` (no Node bindings) it falls back to `c.req.header()`.
 * `name` must be lower case, as Node keys them.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  if (incoming === undefined) return c.req.header(name);
  return headerValue(incoming.headers, name);
}

/** One header of Node's parsed headers as a single string (`name` in lower case). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  // Node joins repeated headers with ", " but for a few (set-cookie) it keeps a list.
  return Array.isArray(value) ? value.join(", ") : value;
}
