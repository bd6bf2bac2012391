import type { Context, MiddlewareHandler } from "hono";
import { type LoaFederation, newRequestData } from "../federation/index.ts";
import { pathMatcher } from "../path-templates.ts";
import { PATHS } from "../urls.ts";
import type { WebEnv } from "./header-policy.ts";
import { requestHeader } from "./request-headers.ts";
import { isSiteRequest, wantsActivityStreams } from "./routes.ts";
import { finishWebFinger, WEBFINGER_PATH, webFingerError } from "./webfinger.ts";

const AS2_TYPE = "application/activity+json";
const article = pathMatcher(PATHS.article);

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

/** Mastodon's byline needs `attributionDomains`, which Fedify's vocabulary lacks. */
async function finishActor(fed: LoaFederation, res: Response): Promise<Response> {
  const json = (await res.json()) as Record<string, unknown>;
  const headers = new Headers(res.headers);
  headers.delete("Content-Length");
  return new Response(JSON.stringify(fed.actorDocument(json)), { status: res.status, headers });
}

/**
 * A removed article's Note id, and an earlier publication's of an article
 * published again (`?v=`), answer 410 with its Tombstone.
 */
async function goneNote(fed: LoaFederation, url: URL): Promise<Response | null> {
  const slug = article.match(url.pathname)?.slug;
  if (slug === undefined) return null;
  const tombstone = await fed.tombstone(slug, url);
  if (tombstone == null) return null;
  return new Response(JSON.stringify(tombstone), {
    status: 410,
    headers: { "Content-Type": AS2_TYPE, Vary: "Accept" },
  });
}

/**
 * Hands each request to Fedify first (but for site requests, see
 * `isSiteRequest`). What Fedify does not serve (or serves only as AS2 while
 * the client wants HTML) falls through to the Hono routes; this is what lets
 * one article URL serve both the page and its Note. Mount it before the page
 * and feed routes. (There is no `@fedify/hono` on the registry here; this is
 * the integration it would provide.)
 */
export function federationMiddleware(fed: LoaFederation, origin: URL): MiddlewareHandler<WebEnv> {
  return async (c: Context<WebEnv>, next) => {
    const path = c.req.path;
    const accept = requestHeader(c, "accept");
    if (isSiteRequest(c.req.method, path, accept)) return next();
    if (wantsActivityStreams(accept)) {
      const gone = await goneNote(fed, new URL(c.req.url));
      if (gone) return gone;
    }
    const isWebFinger = path === WEBFINGER_PATH;
    let passedOn = false;
    const fallThrough = async () => {
      passedOn = true;
      await next();
      return c.res;
    };
    const res = await fed.federation.fetch(atOrigin(c.req.raw, origin), {
      contextData: newRequestData(),
      // An unknown account is a JSON 404, not the site's HTML page.
      onNotFound: isWebFinger ? async () => webFingerError(404, "No such account") : fallThrough,
      onNotAcceptable: async () => {
        const fromHono = await fallThrough();
        if (fromHono.status !== 404) return fromHono;
        return new Response("Not Acceptable", {
          status: 406,
          headers: { "Content-Type": "text/plain; charset=utf-8", Vary: "Accept" },
        });
      },
    });
    if (passedOn) return res;
    if (isWebFinger) return await finishWebFinger(res, fed.account());
    const isJson = /json/.test(res.headers.get("Content-Type") ?? "");
    const isActor = path === fed.actorPath();
    const out = isActor && isJson && res.status === 200 ? await finishActor(fed, res) : res;
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
