import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { Context } from "hono";
import { HTML_SECURITY_HEADERS, SECURITY_HEADERS, type WebEnv } from "./header-policy.ts";
import { requestHeader } from "./request-headers.ts";

/** What a client's cached copy is checked against. */
export interface Validators {
  /** Strong validator: a hash of the body. */
  etag: string;
  /** When what it shows last changed (whole seconds, as HTTP dates have). */
  lastModified: Date;
}

/** One encoding of a rendered body, with everything its responses carry. */
export interface Variant extends Validators {
  /** Encoded once, so a 200 costs no UTF-8 encoding (or compression) per request. */
  body: Uint8Array<ArrayBuffer>;
  /** Every header of the 200, built once with the body. */
  headers: Readonly<Record<string, string>>;
  /**
   * The few headers a 304 needs (RFC 9110 §15.4.5: validators, caching, Vary):
   * a client keeps the rest from its stored response. Header bytes are most
   * of what a 304 costs to write.
   */
  notModifiedHeaders: Readonly<Record<string, string>>;
  /**
   * The 200's headers as `writeHead` takes them on the fast path: a flat
   * `[name, value, …]` list ending in `X-Request-Id` (its value left empty, at
   * {@link REQUEST_ID_SLOT} from the end) and `Content-Length`. Why a list:
   * copying a record of fifteen headers per request (a spread, then two added
   * keys) ran in V8's runtime, not in compiled code, and Node walks a fresh
   * record with `for…in` while it walks a list by index; `perf` put the two at
   * about a fifth of a cached page's time.
   */
  headerList: readonly string[];
  /** The 304's headers the same way (no `Content-Length`). */
  notModifiedHeaderList: readonly string[];
}

/** Where the request id goes in a copy of a header list: this many places from its end. */
const REQUEST_ID_SLOT = { ok: 3, notModified: 1 } as const;

/** `record` as a flat `[name, value, …]` list, then `tail`. */
function flatList(record: Readonly<Record<string, string>>, ...tail: string[]): string[] {
  return [...Object.entries(record).flat(), ...tail];
}

/** A response body rendered once per content change and served many times. */
export interface Rendered extends Variant {
  contentType: string;
  /** The same body gzip-compressed, for clients that accept it (bodies over 1 KiB). */
  gzip?: Variant;
}

/** Below this a gzip body saves too little to be worth a second variant. */
const GZIP_MIN_BYTES = 1024;

/**
 * Renders the validators and headers for `text` once, and a gzip variant.
 * `lastModified` is a date, or a function of the body's ETag (the identity
 * one) giving it: the resources ask their validator history (see
 * `validator-history.ts`), which needs to know which body it dates.
 * `extraHeaders` are the route's own (`Vary`, `Link`, CORS, and a
 * `Cache-Control` replacing the default `public, max-age=60`); `Vary` and
 * `Cache-Control` go on the 304 too. Compressed here, once per content change, rather than by a
 * compression middleware per request: feed readers poll the same bytes all day,
 * and gzip sends about a third of them (the seed's feeds and pages: 4.5–10 KB
 * down to 1.8–3.3 KB).
 */
export function rendered(
  text: string,
  contentType: string,
  lastModified: Date | ((etag: string) => Date),
  extraHeaders: Record<string, string> = {},
): Rendered {
  const body = new TextEncoder().encode(text);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  const date = typeof lastModified === "function" ? lastModified(etag) : lastModified;
  const seconds = new Date(Math.floor(date.getTime() / 1000) * 1000);
  const cacheControl = extraHeaders["Cache-Control"] ?? "public, max-age=60";
  const security = contentType.startsWith("text/html") ? HTML_SECURITY_HEADERS : SECURITY_HEADERS;
  const compress = body.byteLength >= GZIP_MIN_BYTES;
  const vary = [extraHeaders.Vary, compress ? "Accept-Encoding" : undefined]
    .filter((v) => v !== undefined)
    .join(", ");
  const variant = (bytes: Uint8Array<ArrayBuffer>, tag: string, encoding?: "gzip"): Variant => {
    const validators = {
      ETag: tag,
      "Last-Modified": seconds.toUTCString(),
      "Cache-Control": cacheControl,
      ...(vary ? { Vary: vary } : {}),
    };
    const headers = {
      ...security,
      ...extraHeaders,
      ...validators,
      "Content-Type": contentType,
      ...(encoding ? { "Content-Encoding": encoding } : {}),
    };
    return {
      body: bytes,
      etag: tag,
      lastModified: seconds,
      headers,
      notModifiedHeaders: validators,
      headerList: flatList(headers, "X-Request-Id", "", "Content-Length", String(bytes.byteLength)),
      notModifiedHeaderList: flatList(validators, "X-Request-Id", ""),
    };
  };
  const identity = variant(body, etag);
  if (!compress) return { ...identity, contentType };
  const zipped = new Uint8Array(gzipSync(body));
  // A strong validator names one representation: the gzip bytes get their own.
  return { ...identity, contentType, gzip: variant(zipped, `${etag.slice(0, -1)}-gzip"`, "gzip") };
}

/**
 * Answers for the `Accept-Encoding` values seen so far: clients send a handful
 * of spellings (`gzip, deflate, br, zstd`), and parsing one per request was
 * measurable on a cached page. Bounded, so a client inventing values cannot
 * grow it: past the bound, values are parsed each time.
 */
const gzipAnswers = new Map<string, boolean>();
const GZIP_ANSWERS_MAX = 64;

/** True when an `Accept-Encoding` value admits gzip (RFC 9110 §12.5.3). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  const known = gzipAnswers.get(acceptEncoding);
  if (known !== undefined) return known;
  const answer = parseAcceptsGzip(acceptEncoding);
  if (gzipAnswers.size < GZIP_ANSWERS_MAX) gzipAnswers.set(acceptEncoding, answer);
  return answer;
}

function parseAcceptsGzip(acceptEncoding: string): boolean {
  let star: boolean | undefined;
  for (const part of acceptEncoding.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (name === "gzip" || name === "x-gzip") return allowed;
    if (name === "*") star = allowed;
  }
  return star ?? false;
}

/** The variant of `r` to send to a client with this `Accept-Encoding`. */
export function variantFor(r: Rendered, acceptEncoding: string | undefined): Variant {
  return r.gzip && acceptsGzip(acceptEncoding) ? r.gzip : r;
}

function etagMatches(etag: string, header: string): boolean {
  // What a client sends back is, nearly always, the one tag it was given.
  if (header === etag) return true;
  if (header.trim() === "*") return true;
  // Weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored for GET.
  const strip = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => strip(tag) === strip(etag));
}

/**
 * True when a request with these `If-None-Match` / `If-Modified-Since` values
 * already holds the current representation.
 */
export function matchesValidators(
  v: Validators,
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
): boolean {
  // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 §13.2.2).
  if (ifNoneMatch !== undefined) return etagMatches(v.etag, ifNoneMatch);
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && v.lastModified.getTime() <= since;
}

/** True when the request's validators say the client's copy is current. */
export function isNotModified(c: Context, v: Validators): boolean {
  return matchesValidators(
    v,
    requestHeader(c, "if-none-match"),
    requestHeader(c, "if-modified-since"),
  );
}

/** The headers of a 200 or a 304 for `r`, with the request's id. */
export function headersFor(
  r: Variant,
  notModified: boolean,
  requestId: string | undefined,
): Record<string, string> {
  const prebuilt = notModified ? r.notModifiedHeaders : r.headers;
  return requestId === undefined ? { ...prebuilt } : { ...prebuilt, "X-Request-Id": requestId };
}

/**
 * The fast path's headers of a 200 (with `Content-Length`) or a 304 for `r`,
 * in the order {@link headersFor} gives them, as a list for `writeHead`.
 */
export function headerListFor(r: Variant, notModified: boolean, requestId: string): string[] {
  const list = (notModified ? r.notModifiedHeaderList : r.headerList).slice();
  list[list.length - (notModified ? REQUEST_ID_SLOT.notModified : REQUEST_ID_SLOT.ok)] = requestId;
  return list;
}

/**
 * Answers with the rendered body, or 304 without one. Hono's `etag` middleware
 * hashes every response body per request and ignores If-Modified-Since; our
 * bodies are rendered once per content change, so the validators are too.
 */
export function respond(c: Context<WebEnv>, rendered: Rendered): Response {
  c.set("secured", true);
  const r = variantFor(rendered, requestHeader(c, "accept-encoding"));
  const notModified = isNotModified(c, r);
  const headers = headersFor(r, notModified, c.get("requestId"));
  // A plain record, not `c.body()`: Hono turns more than one header into a
  // WHATWG `Headers` (a validated `set()` each) that @hono/node-server then
  // copies back into a record; this one goes to `writeHead` as it is.
  return notModified
    ? new Response(null, { status: 304, headers })
    : new Response(r.body, { status: 200, headers });
}
