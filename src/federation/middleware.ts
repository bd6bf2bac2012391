import type { Federation } from "@fedify/fedify";
import type { Context, MiddlewareHandler } from "hono";
import type { Store } from "../storage/store.ts";
import { requestHeader } from "../web/request-headers.ts";
import { isSiteRequest, wantsActivityStreams } from "../web/site-paths.ts";
import { withAttributionDomains } from "./actor.ts";
import { actorIdentifier, type FederationDeps } from "./deps.ts";
import { toTombstone } from "./note.ts";
import { findPublished } from "./objects.ts";

/** Each federation's deps, so the middleware keeps the one-argument signature. */
const registry = new WeakMap<Federation<void>, FederationDeps>();

export function rememberDeps(federation: Federation<void>, deps: FederationDeps): void {
  registry.set(federation, deps);
}

/** Whether the ledger says this article was removed (its page should answer 410 Gone). */
export async function isGone(store: Store, slug: string): Promise<boolean> {
  return (await store.getLedgerEntry(slug))?.action === "delete";
}

const AS2_TYPE = "application/activity+json";

async function goneTombstone(deps: FederationDeps, path: string): Promise<Response | null> {
  const match = /^\/articles\/([^/]+)$/.exec(path);
  if (!match?.[1]) return null;
  let slug: string;
  try {
    slug = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  if (findPublished(deps, slug) != null) return null;
  const entry = await deps.store.getLedgerEntry(slug);
  if (entry?.action !== "delete") return null;
  const tombstone = toTombstone(
    new URL(deps.urls.article(slug)),
    entry.updated ?? deps.clock?.() ?? new Date(),
  );
  return new Response(JSON.stringify(await tombstone.toJsonLd()), {
    status: 410,
    headers: { "Content-Type": AS2_TYPE, Vary: "Accept" },
  });
}

/** Mastodon's byline needs `attributionDomains`, which Fedify's vocabulary lacks. */
async function decorateActor(deps: FederationDeps, res: Response): Promise<Response> {
  const json = (await res.json()) as Record<string, unknown>;
  const headers = new Headers(res.headers);
  headers.delete("Content-Length");
  const body = withAttributionDomains(json, deps.config.origin.host);
  return new Response(JSON.stringify(body), { status: res.status, headers });
}

/**
 * The request as if it had been made to ORIGIN. Fedify builds some answers from
 * the request URL (WebFinger accepts `acct:` handles on the request's host and
 * echoes it as the subject), and behind a proxy that URL comes from a Host
 * header anyone can set. Headers (the signed `Host` included) stay as they came.
 */
function atOrigin(request: Request, origin: URL): Request {
  const url = new URL(request.url);
  if (url.origin === origin.origin) return request;
  const canonical = new URL(`${url.pathname}${url.search}`, origin);
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new Request(canonical, {
    method: request.method,
    headers: request.headers,
    body: hasBody ? request.body : null,
    signal: request.signal,
    // Required by fetch for a streamed body.
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}

/**
 * Hands each request to Fedify first (but for site requests, see `isSiteRequest`). What Fedify does not serve (or serves
 * only as AS2 while the client wants HTML) falls through to the Hono routes;
 * this is what lets one article URL serve both the page and its Note.
 * Mount it before the page and feed routes.
 */
export function federationMiddleware(federation: Federation<void>): MiddlewareHandler {
  const deps = registry.get(federation);
  return async (c: Context, next) => {
    const path = c.req.path;
    const accept = requestHeader(c, "accept");
    if (isSiteRequest(c.req.method, path, accept)) return next();
    if (deps && wantsActivityStreams(accept)) {
      const gone = await goneTombstone(deps, path);
      if (gone) return gone;
    }
    let passedOn = false;
    const fallThrough = async () => {
      passedOn = true;
      await next();
      return c.res;
    };
    const res = await federation.fetch(deps ? atOrigin(c.req.raw, deps.config.origin) : c.req.raw, {
      contextData: undefined,
      onNotFound: fallThrough,
      onNotAcceptable: async () => {
        const fromHono = await fallThrough();
        if (fromHono.status !== 404) return fromHono;
        return new Response("Not Acceptable", {
          status: 406,
          headers: { "Content-Type": "text/plain; charset=utf-8", Vary: "Accept" },
        });
      },
    });
    if (passedOn || deps == null) return res;
    const isActor = path === new URL(deps.urls.actor(actorIdentifier(deps))).pathname;
    const isJson = /json/.test(res.headers.get("Content-Type") ?? "");
    const out = isActor && isJson && res.status === 200 ? await decorateActor(deps, res) : res;
    if (isJson && !out.headers.has("Vary")) {
      try {
        out.headers.set("Vary", "Accept");
      } catch {
        // Immutable headers (a Response Fedify reused): leave them.
      }
    }
    return out;
  };
}
