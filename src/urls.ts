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
  replies: "/articles/{slug}/replies",
  likes: "/articles/{slug}/likes",
  shares: "/articles/{slug}/shares",
  tag: "/tags/{tag}",
  media: "/media/{+path}",
  // Pictures uploaded in the newsroom (`media/picture.ts`): `{file}` is a rendition, `960.webp`.
  picture: "/pictures/{id}/{file}",
  // Remote avatars, fetched once and served from here (`{key}` names the remote URL).
  avatar: "/avatars/{key}",
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
  featuredTags: "/users/{identifier}/tags",
  createActivity: "/activities/{slug}/create/{version}",
  updateActivity: "/activities/{slug}/update/{version}",
  deleteActivity: "/activities/{slug}/delete/{version}",
  // `_` cannot start an article slug, so these never collide with an article's activities.
  profileUpdate: "/activities/_profile/update/{version}",
  moveActivity: "/activities/_move/{version}",
  quoteAuthorization: "/quote-authorizations/{id}",
  nodeInfo: "/nodeinfo/2.1",
  tags: "/tags",
  tagRss: "/tags/{tag}/rss.xml",
  tagAtom: "/tags/{tag}/atom.xml",
  tagJsonFeed: "/tags/{tag}/feed.json",
  archiveRss: "/archives/{year}/{month}/rss.xml",
  archiveAtom: "/archives/{year}/{month}/atom.xml",
  archiveJsonFeed: "/archives/{year}/{month}/feed.json",
  opml: "/feeds.opml",
  hub: "/websub",
  healthz: "/healthz",
  readyz: "/readyz",
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
  /**
   * The id of an article's Note: the article's URL for its first publication;
   * `?v={version}` (the ledger version of the Create) when it was published
   * again after a Delete, since Mastodon ignores a Create of a deleted id.
   */
  note(slug: string, createVersion?: number): string;
  /** The articles carrying one tag (the Hashtag `href` in Notes). */
  tag(tag: string, page?: number): string;
  /** A file under `content/` served as media (images): `/media/<path>`. */
  media(path: string): string;
  /** A rendition of an uploaded picture: `/pictures/<id>/<file>` (see `media/picture.ts`). */
  picture(id: string, file: string): string;
  /** A remote avatar served from here: `/avatars/<key>` (see `avatars/`). */
  avatar(key: string): string;
  /** Resolves a root-relative path (e.g. `/media/x.jpg`) or keeps an absolute URL. */
  absolute(pathOrUrl: string): string;
  rss(): string;
  atom(): string;
  jsonFeed(): string;
  /** The fediverse actor, `/users/{username}`. */
  actor(username: string): string;
  /** A Note's collections: approved public replies, likes, boosts. */
  replies(slug: string): string;
  likes(slug: string): string;
  shares(slug: string): string;
  /** The actor's collections and inboxes. */
  followers(username: string): string;
  following(username: string): string;
  featured(username: string): string;
  featuredTags(username: string): string;
  outbox(username: string): string;
  inbox(username: string): string;
  sharedInbox(): string;
  /** `@username@host`, as people type it. */
  handle(username: string): string;
  /** The id of an article's activity: deterministic, so a resend after a crash reuses it. */
  activity(slug: string, action: ActivityAction, version: number): string;
  /** The id of the `version`th profile `Update`. */
  profileUpdate(version: number): string;
  /** The id of the `version`th `Move` (`npm run move`). */
  move(version: number): string;
  /** A FEP-044f `QuoteAuthorization` we granted. */
  quoteAuthorization(id: string): string;
  /**
   * One month's RFC 5005 archive document: `/archives/{yyyy}/{mm}/rss.xml`,
   * `atom.xml` or `feed.json`. `month` is `"2021-03"`; anything else throws
   * (months come from the archive index, never from a request unchecked).
   */
  archive(kind: FeedKind, month: string): string;
  /** One tag's feed: `/tags/{tag}/rss.xml`, `atom.xml` or `feed.json`. */
  tagFeed(kind: FeedKind, tag: string): string;
  /** `/tags`: every tag with its article count. */
  tags(): string;
  /** `/feeds.opml`: the site's and every tag's feeds. */
  opml(): string;
  /** `/websub`: the WebSub hub every feed advertises. */
  hub(): string;
}

/** The three feed formats, as the feed URL builders name them. */
export type FeedKind = "rss" | "atom" | "json";

/** `"2021-03"` → `{ year: "2021", month: "03" }`; a programming error for anything else. */
function monthParams(month: string): { year: string; month: string } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new Error(`archive month must look like 2021-03, got ${JSON.stringify(month)}`);
  return { year: m[1] ?? "", month: m[2] ?? "" };
}

const ARCHIVE_PATHS = { rss: "archiveRss", atom: "archiveAtom", json: "archiveJsonFeed" } as const;
const TAG_FEED_PATHS = { rss: "tagRss", atom: "tagAtom", json: "tagJsonFeed" } as const;

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
    note: (slug, createVersion) => {
      const url = at("article", { slug });
      return createVersion != null && createVersion > 1 ? `${url}?v=${createVersion}` : url;
    },
    tag: (tag, page) => paged(at("tag", { tag }), page),
    media: (path) => at("media", { path }),
    picture: (id, file) => at("picture", { id, file }),
    avatar: (key) => at("avatar", { key }),
    absolute: (pathOrUrl) => new URL(pathOrUrl, base).href,
    rss: () => at("rss"),
    atom: () => at("atom"),
    jsonFeed: () => at("jsonFeed"),
    actor: (username) => at("actor", { identifier: username }),
    replies: (slug) => at("replies", { slug }),
    likes: (slug) => at("likes", { slug }),
    shares: (slug) => at("shares", { slug }),
    followers: (username) => at("followers", { identifier: username }),
    following: (username) => at("following", { identifier: username }),
    featured: (username) => at("featured", { identifier: username }),
    featuredTags: (username) => at("featuredTags", { identifier: username }),
    outbox: (username) => at("outbox", { identifier: username }),
    inbox: (username) => at("inbox", { identifier: username }),
    sharedInbox: () => at("sharedInbox"),
    handle: (username) => `@${username}@${base.host}`,
    activity: (slug, action, version) => at(`${action}Activity`, { slug, version }),
    profileUpdate: (version) => at("profileUpdate", { version }),
    move: (version) => at("moveActivity", { version }),
    quoteAuthorization: (id) => at("quoteAuthorization", { id }),
    archive: (kind, month) => at(ARCHIVE_PATHS[kind], monthParams(month)),
    tagFeed: (kind, tag) => at(TAG_FEED_PATHS[kind], { tag }),
    tags: () => at("tags"),
    opml: () => at("opml"),
    hub: () => at("hub"),
  };
}
