/**
 * The header policy: what every response carries (the security headers, the
 * request id), and the per-request flag that says a response was built with
 * them. A leaf: the envelope, the rendered resources and the fast path all
 * read it, and it reads nothing of theirs.
 */
import { randomFillSync } from "node:crypto";
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

const IDS_PER_BATCH = 1024;
const HEX_DIGITS = Buffer.from("0123456789abcdef", "latin1");
const randomBytes = Buffer.alloc(16 * IDS_PER_BATCH);
const batchText = Buffer.alloc(36 * IDS_PER_BATCH);
let batch = "";
let taken = IDS_PER_BATCH;

/**
 * A random (version 4) UUID, written 1,024 at a time into one string. One
 * `randomUUID()` per request showed as ~0.4–0.7 µs of a served page in the
 * profile (docs/performance.md, "the cost outside Node's HTTP stack"): it
 * builds each id from a dozen small strings, which Node's header check then
 * copies into one. Here the system's generator fills 1,024 ids' bytes at
 * once (a call costs 7–9 µs on these machines whether it fills 16 bytes or
 * 16 KiB), they are spelled into one flat string, and each id is a slice of
 * it, which V8 makes without copying. Two batches at most are alive (~72 KiB).
 */
function newRequestId(): string {
  if (taken === IDS_PER_BATCH) {
    randomFillSync(randomBytes);
    let at = 0;
    for (let id = 0; id < IDS_PER_BATCH; id++) {
      const from = 16 * id;
      randomBytes[from + 6] = ((randomBytes[from + 6] ?? 0) & 0x0f) | 0x40; // version 4
      randomBytes[from + 8] = ((randomBytes[from + 8] ?? 0) & 0x3f) | 0x80; // RFC 9562 variant
      for (let i = 0; i < 16; i++) {
        if (i === 4 || i === 6 || i === 8 || i === 10) batchText[at++] = 0x2d; // "-"
        const byte = randomBytes[from + i] ?? 0;
        batchText[at++] = HEX_DIGITS[byte >> 4] ?? 0;
        batchText[at++] = HEX_DIGITS[byte & 15] ?? 0;
      }
    }
    batch = batchText.toString("latin1");
    taken = 0;
  }
  const at = 36 * taken++;
  return batch.slice(at, at + 36);
}
