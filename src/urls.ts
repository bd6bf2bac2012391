/**
 * Every public URL of the site, built from the configured origin (never from a
 * request's Host header). One place, so pages, feeds and federation agree.
 */
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
  /** `@username@host`, as people type it. */
  handle(username: string): string;
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

const FEED_FILES: Record<FeedKind, string> = {
  rss: "rss.xml",
  atom: "atom.xml",
  json: "feed.json",
};

/** `"2021-03"` → `"2021/03"`; a programming error for anything else. */
function monthPath(month: string): string {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new Error(`archive month must look like 2021-03, got ${JSON.stringify(month)}`);
  return `${m[1]}/${m[2]}`;
}

export function createUrls(origin: URL): Urls {
  const base = new URL(origin.origin);
  const abs = (path: string) => new URL(path, base).href;
  return {
    origin: base,
    home: (page) => (page && page > 1 ? abs(`/?page=${page}`) : abs("/")),
    article: (slug) => abs(`/articles/${encodeURIComponent(slug)}`),
    tag: (tag, page) =>
      abs(`/tags/${encodeURIComponent(tag)}${page && page > 1 ? `?page=${page}` : ""}`),
    media: (path) => abs(`/media/${path.split("/").map(encodeURIComponent).join("/")}`),
    absolute: (pathOrUrl) => new URL(pathOrUrl, base).href,
    rss: () => abs("/rss.xml"),
    atom: () => abs("/atom.xml"),
    jsonFeed: () => abs("/feed.json"),
    actor: (username) => abs(`/users/${encodeURIComponent(username)}`),
    handle: (username) => `@${username}@${base.host}`,
    archive: (kind, month) => abs(`/archives/${monthPath(month)}/${FEED_FILES[kind]}`),
    tagFeed: (kind, tag) => abs(`/tags/${encodeURIComponent(tag)}/${FEED_FILES[kind]}`),
    tags: () => abs("/tags"),
    opml: () => abs("/feeds.opml"),
    hub: () => abs("/websub"),
  };
}
