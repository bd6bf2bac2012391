import { createHash } from "node:crypto";
import type { Context } from "hono";
import { HTML_SECURITY_HEADERS, markSecured, SECURITY_HEADERS } from "./envelope.ts";

/** A response body rendered once per content change and served many times. */
export interface Rendered {
  /** Encoded once, so a 200 costs no UTF-8 encoding per request. */
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  /** Strong validator: a hash of the body. */
  etag: string;
  /** When what it shows last changed. */
  lastModified: Date;
}

export function rendered(text: string, contentType: string, lastModified: Date): Rendered {
  const body = new TextEncoder().encode(text);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  // HTTP dates have whole seconds; keep the same precision for comparisons.
  const seconds = new Date(Math.floor(lastModified.getTime() / 1000) * 1000);
  return { body, contentType, etag, lastModified: seconds };
}

function etagMatches(etag: string, header: string): boolean {
  if (header.trim() === "*") return true;
  // Weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored for GET.
  const strip = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => strip(tag) === strip(etag));
}

/** True when the request's validators say the client's copy is current. */
export function isNotModified(c: Context, r: Rendered): boolean {
  const ifNoneMatch = c.req.header("if-none-match");
  // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 §13.2.2).
  if (ifNoneMatch !== undefined) return etagMatches(r.etag, ifNoneMatch);
  const ifModifiedSince = c.req.header("if-modified-since");
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && r.lastModified.getTime() <= since;
}

/**
 * Answers with the rendered body, or 304 without one. Hono's `etag` middleware
 * hashes every response body per request and ignores If-Modified-Since; our
 * bodies are rendered once per content change, so the validators are too.
 */
export function respond(
  c: Context,
  r: Rendered,
  extraHeaders: Record<string, string> = {},
  status: 200 | 404 | 410 = 200,
): Response {
  markSecured(c.req.raw);
  const headers: Record<string, string> = {
    ...(r.contentType.startsWith("text/html") ? HTML_SECURITY_HEADERS : SECURITY_HEADERS),
    ETag: r.etag,
    "Last-Modified": r.lastModified.toUTCString(),
    "Cache-Control": "public, max-age=60",
    ...extraHeaders,
  };
  if (status === 200 && isNotModified(c, r)) {
    return c.body(null, 304, headers);
  }
  return c.body(r.body, status, { ...headers, "Content-Type": r.contentType });
}
