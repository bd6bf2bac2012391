/**
 * Every public path and URL of the site, built from the configured origin
 * (never from a request's Host header). The path templates below are the one
 * spelling of each path: the web routes, the fast path and Fedify's
 * dispatchers are registered from them, and the builders fill them in, so
 * pages, feeds and federation agree.
 */

/**
 * Path templates in Fedify's (RFC 6570 level 1) syntax: `{name}` is one
 * percent-encoded segment; `{+name}` (media only) is a path of segments.
 */
export const PATHS = {
  home: "/",
  article: "/articles/{slug}",
  tag: "/tags/{tag}",
  media: "/media/{+path}",
  rss: "/rss.xml",
  atom: "/atom.xml",
  jsonFeed: "/feed.json",
  sitemap: "/sitemap.xml",
  robots: "/robots.txt",
  actor: "/users/{identifier}",
  inbox: "/users/{identifier}/inbox",
  sharedInbox: "/inbox",
  outbox: "/users/{identifier}/outbox",
  followers: "/users/{identifier}/followers",
  following: "/users/{identifier}/following",
  featured: "/users/{identifier}/featured",
  createActivity: "/activities/{slug}/create/{version}",
  updateActivity: "/activities/{slug}/update/{version}",
  deleteActivity: "/activities/{slug}/delete/{version}",
  // `_` cannot start an article slug, so these never collide with an article's activities.
  profileUpdate: "/activities/_profile/update/{version}",
  nodeInfo: "/nodeinfo/2.1",
} as const;

export type PathName = keyof typeof PATHS;

/** Fills a template's `{name}` (one encoded segment) and `{+name}` (encoded segments) parameters. */
export function fillPath(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\+?)(\w+)\}/g, (_whole, plus: string, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`fillPath: ${template} needs "${name}"`);
    const text = String(value);
    return plus ? text.split("/").map(encodeURIComponent).join("/") : encodeURIComponent(text);
  });
}

export type ActivityAction = "create" | "update" | "delete";

export interface Urls {
  origin: URL;
  home(page?: number): string;
  article(slug: string): string;
  /** The articles carrying one tag (the Hashtag `href` in Notes). */
  tag(tag: string, page?: number): string;
  /** A file under `content/` served as media (images): `/media/<path>`. */
  media(path: string): string;
  /** Resolves a root-relative path (e.g. `/media/x.jpg`) or keeps an absolute URL. */
  absolute(pathOrUrl: string): string;
  rss(): string;
  atom(): string;
  jsonFeed(): string;
  /** The fediverse actor, `/users/{username}`. */
  actor(username: string): string;
  /** The actor's followers collection. */
  followers(username: string): string;
  /** `@username@host`, as people type it. */
  handle(username: string): string;
  /** The id of an article's activity: deterministic, so a resend after a crash reuses it. */
  activity(slug: string, action: ActivityAction, version: number): string;
  /** The id of the `version`th profile `Update`. */
  profileUpdate(version: number): string;
}

export function createUrls(origin: URL): Urls {
  const base = new URL(origin.origin);
  const abs = (path: string) => new URL(path, base).href;
  const at = (name: PathName, params: Record<string, string | number> = {}) =>
    abs(fillPath(PATHS[name], params));
  const paged = (url: string, page?: number) => (page && page > 1 ? `${url}?page=${page}` : url);
  return {
    origin: base,
    home: (page) => paged(at("home"), page),
    article: (slug) => at("article", { slug }),
    tag: (tag, page) => paged(at("tag", { tag }), page),
    media: (path) => at("media", { path }),
    absolute: (pathOrUrl) => new URL(pathOrUrl, base).href,
    rss: () => at("rss"),
    atom: () => at("atom"),
    jsonFeed: () => at("jsonFeed"),
    actor: (username) => at("actor", { identifier: username }),
    followers: (username) => at("followers", { identifier: username }),
    handle: (username) => `@${username}@${base.host}`,
    activity: (slug, action, version) => at(`${action}Activity`, { slug, version }),
    profileUpdate: (version) => at("profileUpdate", { version }),
  };
}
