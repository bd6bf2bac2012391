/**
 * Bounds on every outbound HTTP request the federation makes.
 *
 * Why a wrapper around `globalThis.fetch`: Fedify 2.3.8 calls the global
 * `fetch` with no timeout both in its document loader (fetching actors, keys,
 * objects) and in `sendActivity` (delivering to inboxes), reads remote
 * documents with `response.json()` without a size limit, and follows up to 20
 * redirects. Its loader factories cannot be replaced while `allowPrivateAddress`
 * or `userAgent` are set, and delivery has no hook at all; the global `fetch`
 * is the one place that sees every request. Fedify still validates each
 * redirect target against private addresses itself; this only adds bounds.
 */
import { getLogger } from "@logtape/logtape";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../text/json-depth.ts";

const logger = getLogger(["loa", "federation", "fetch"]);

/** Limits for {@link installOutboundFetchGuard}. */
export interface OutboundFetchLimits {
  /** Whole request, from connecting to the last body byte. */
  timeoutMs: number;
  /** Largest response body read; a longer one fails the read. */
  maxBytes: number;
  /** Redirect hops followed in one chain (Fedify's own limit is 20). */
  maxRedirects: number;
}

export const DEFAULT_MAX_REDIRECTS = 3;

/** Redirect targets seen recently, with the hop count that led to them. */
const HOP_MEMORY_MS = 60_000;

type Fetch = typeof globalThis.fetch;
const GUARDED = Symbol.for("loa.outboundFetchGuard");

/**
 * Cuts a response body off with an error after `maxBytes`, counted as the
 * reader sees it (after any decompression `fetch` did), whatever
 * `Content-Length` says. The process's dispatcher (`net/outbound-agent.ts`)
 * already refuses compressed bodies and counts at the transport; this holds
 * for any `fetch` the guard wraps.
 */
function capBody(res: Response, maxBytes: number, url: string): Response {
  const declared = Number(res.headers.get("Content-Length") ?? "NaN");
  if (declared > maxBytes) {
    void res.body?.cancel();
    logger.warning("Not reading {url}: {bytes} bytes is over the {max}-byte limit", {
      url,
      bytes: declared,
      max: maxBytes,
    });
    throw new TypeError(`Response from ${url} is ${declared} bytes (limit ${maxBytes})`);
  }
  if (res.body == null) return res;
  let seen = 0;
  const limited = res.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) {
          logger.warning("Stopped reading {url} past the {max}-byte limit", { url, max: maxBytes });
          controller.error(new TypeError(`Response from ${url} exceeds ${maxBytes} bytes`));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  const out = new Response(limited, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
  // Fedify takes the document's URL from `response.url` (the final one after redirects).
  Object.defineProperty(out, "url", { value: res.url });
  return out;
}

/**
 * A JSON document read whole (it is capped) and refused if it nests deeper
 * than {@link MAX_JSON_DEPTH}: Fedify expands it with jsonld and caches it
 * with `JSON.stringify`, both recursive, so a peer's document 100,000 levels
 * deep would overflow the stack of whatever task fetched it.
 */
async function shallowJson(res: Response, url: string): Promise<Response> {
  const text = await res.text();
  if (nestsDeeperThan(text)) {
    logger.warning("Not reading {url}: it nests deeper than {max} levels", {
      url,
      max: MAX_JSON_DEPTH,
    });
    throw new TypeError(`Response from ${url} nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  const out = new Response(text, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
  Object.defineProperty(out, "url", { value: res.url });
  return out;
}

/** Wraps `inner` with the limits; exported for unit tests. */
export function guardFetch(inner: Fetch, limits: OutboundFetchLimits): Fetch {
  const hops = new Map<string, { n: number; at: number }>();
  const guarded = async (input: Parameters<Fetch>[0], init?: RequestInit): Promise<Response> => {
    // Fedify hands over a Request (with an init of `redirect` and `signal`);
    // copying it into another Request here cost a full undici Request per
    // delivery, so only the URL, method and signals are read from it.
    const given = typeof input === "string" || input instanceof URL ? undefined : input;
    const url = given?.url ?? (input instanceof URL ? input.href : String(input));
    const method = init?.method ?? given?.method ?? "GET";
    const timeout = AbortSignal.timeout(limits.timeoutMs);
    const signals = [timeout];
    if (given) signals.push(given.signal);
    if (init?.signal) signals.push(init.signal);
    const signal = AbortSignal.any(signals);
    let res: Response;
    try {
      res = await inner(input, { ...init, signal });
    } catch (error) {
      if (timeout.aborted) {
        logger.warning("{method} {url} took longer than {ms} ms; gave up", {
          method,
          url,
          ms: limits.timeoutMs,
        });
      }
      throw error;
    }
    const location = res.headers.get("Location");
    if (res.status >= 300 && res.status < 400 && location != null) {
      const now = Date.now();
      for (const [key, value] of hops) if (now - value.at > HOP_MEMORY_MS) hops.delete(key);
      const n = (hops.get(url)?.n ?? 0) + 1;
      if (n > limits.maxRedirects) {
        await res.body?.cancel();
        logger.warning("Not following more than {max} redirects from {url}", {
          max: limits.maxRedirects,
          url,
        });
        throw new TypeError(`Too many redirects (more than ${limits.maxRedirects}) at ${url}`);
      }
      hops.set(new URL(location, url).href, { n, at: now });
      return res;
    }
    const capped = capBody(res, limits.maxBytes, url);
    const json = /json/i.test(res.headers.get("Content-Type") ?? "");
    return json && method === "GET" && res.status === 200 ? await shallowJson(capped, url) : capped;
  };
  return guarded as Fetch;
}

/**
 * Replaces `globalThis.fetch` with a bounded one, once per process (later calls
 * do nothing). Every outbound request of the process goes through it: this
 * server makes no others.
 */
export function installOutboundFetchGuard(limits: OutboundFetchLimits): void {
  const current = globalThis.fetch as Fetch & { [GUARDED]?: OutboundFetchLimits };
  if (current[GUARDED]) return;
  const guarded = guardFetch(current, limits) as Fetch & { [GUARDED]?: OutboundFetchLimits };
  guarded[GUARDED] = limits;
  globalThis.fetch = guarded;
}
