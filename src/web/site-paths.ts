/** Whether a client asks for ActivityStreams rather than a page. */
export function wantsActivityStreams(accept: string | undefined): boolean {
  return accept != null && /application\/(activity\+json|ld\+json)/i.test(accept);
}

/** The site's fixed paths (pages and feeds at one address each). */
export const FIXED_SITE_PATHS: readonly string[] = [
  "/",
  "/rss.xml",
  "/atom.xml",
  "/feed.json",
  "/sitemap.xml",
  "/robots.txt",
];
const fixed = new Set(FIXED_SITE_PATHS);

/** The site's paths with a variable part, in Hono's pattern syntax. */
export const SITE_PATH_PATTERNS: readonly string[] = ["/articles/:slug", "/tags/:tag", "/media/*"];

/**
 * Requests only the site routes answer: pages, feeds, media, read by browsers
 * and feed readers. They skip Fedify's router (URL patterns through a polyfill
 * cost most of a cached feed's CPU time in the benchmark's profile) and the
 * per-request log context (they log nothing but errors, which carry the
 * request id themselves). Article URLs are Fedify's only when the client asks
 * for ActivityStreams.
 */
export function isSiteRequest(method: string, path: string, accept: string | undefined): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  if (fixed.has(path)) return true;
  if (path.startsWith("/media/") || path.startsWith("/tags/")) return true;
  return path.startsWith("/articles/") && !wantsActivityStreams(accept);
}
