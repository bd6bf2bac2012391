/**
 * The header policy: what every response carries (the security headers, the
 * request id), and the per-request flag that says a response was built with
 * them. A leaf: the envelope, the rendered resources and the fast path all
 * read it, and it reads nothing of theirs.
 */
import { randomUUID } from "node:crypto";
import { PAGE_CSP } from "../pages/index.ts";

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

/** The id for a request: a proxy's `X-Request-Id` when it is plainly an id (it goes into log lines), else a new one. */
export function requestIdFrom(given: string | undefined): string {
  return given && /^[\w.:-]{1,128}$/.test(given) ? given : newRequestId();
}

const IDS_PER_BATCH = 64;
let batch = "";
let taken = IDS_PER_BATCH;

/**
 * A random UUID, made 64 at a time. One `randomUUID()` per request showed as
 * ~0.45 µs of a served page in the profile (docs/performance.md, "the cost
 * outside Node's HTTP stack"): its formatting, run cold between requests, and
 * a tree of small strings per id for the collector. In a batch the formatting
 * runs hot, and each id is a slice of one string, which V8 makes without
 * copying. Still 122 random bits per id from the system's generator.
 */
function newRequestId(): string {
  if (taken === IDS_PER_BATCH) {
    batch = Array.from({ length: IDS_PER_BATCH }, () => randomUUID()).join("");
    taken = 0;
  }
  const at = 36 * taken++;
  return batch.slice(at, at + 36);
}
