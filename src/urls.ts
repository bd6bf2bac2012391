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
  };
}
