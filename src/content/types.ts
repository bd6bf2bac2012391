/** The site and its actor, from `content/site.yml`. */
export interface Site {
  title: string;
  description: string;
  /** BCP 47, e.g. `vi`. */
  language: string;
  /** IANA zone, e.g. `Asia/Ho_Chi_Minh`; dates are shown in it. */
  timezone: string;
  actor: {
    /** Matches Mastodon's `[a-z0-9_]+([.-]+[a-z0-9_]+)*`. */
    username: string;
    name: string;
    summary: string;
    /** Absolute URL, or a root-relative path served by this site (e.g. `/media/logo.png`). */
    icon?: string;
    image?: string;
    /**
     * The town's earlier accounts (actor URLs, e.g. the Mastodon account it
     * used before): the actor's `alsoKnownAs`, so they can `Move` here.
     */
    aliases?: string[];
    /**
     * Hashtags shown on the profile (`featuredTags`); when absent, the site's
     * most used tags.
     */
    featuredTags?: string[];
  };
  links: SiteLink[];
  /** Which fediverse replies show under an article without a staff member's approval. */
  replies: ReplyPolicy;
}

/**
 * `moderated` (the default): a reply shows once staff approve it; `followers`:
 * replies from the town's followers show at once, others wait; `open`: every
 * public reply shows at once.
 */
export type ReplyPolicy = "moderated" | "followers" | "open";

export interface SiteLink {
  name: string;
  url: string;
}

export interface ArticleImage {
  /** Pixel size and the widths served, for pictures from the newsroom's media store. */
  width?: number;
  height?: number;
  /** `srcset` of the resized widths (newsroom pictures). */
  srcset?: string;
  /** Absolute URL, or a root-relative path served by this site (e.g. `/media/x.jpg`). */
  url: string;
  alt: string;
  /** MIME type guessed from the extension, e.g. `image/jpeg`. */
  mediaType: string;
  /** Size in bytes, known for images under `content/` (feed enclosures carry it). */
  length?: number;
}

/** One valid article, parsed from `content/articles/*.md`. */
export interface Article {
  slug: string;
  /**
   * Path relative to the content dir, e.g. `articles/foo.md`; for an article
   * written in the newsroom, `newsroom/{id}` (no such file exists).
   */
  file: string;
  /** The newsroom article's id, for articles from the store (absent for files). */
  newsroomId?: string;
  title: string;
  published: Date;
  updated?: Date;
  authors: string[];
  summary?: string;
  tags: string[];
  language: string;
  image?: ArticleImage;
  /** `pinned: true`: in the actor's `featured` collection (pinned on the profile). */
  pinned?: boolean;
  /** The body rendered to HTML (safe: raw HTML in the Markdown is escaped). */
  html: string;
  /**
   * sha256 hex of the file's bytes, less a `pinned:` line: what changed means
   * this changed. Pinning is not an edit of the Note (followers would see it
   * "edited"); it changes the profile, which is announced on its own.
   */
  hash: string;
}

/** A file that could not be used; expected failures are values, not exceptions. */
export interface ContentProblem {
  /** Path relative to the content dir, e.g. `articles/bad.md`. */
  file: string;
  /** The front-matter field at fault, when there is one. */
  field?: string;
  reason: string;
}

/** Everything loaded from `content/` at one moment. */
export interface ContentSnapshot {
  site: Site;
  /** All valid articles, including future-dated ones, newest `published` first. */
  articles: Article[];
  problems: ContentProblem[];
  /** Content files (relative paths) that exist but are broken: never read as removals. */
  brokenFiles: string[];
  /**
   * Valid articles marked `draft: true` (relative paths): not served or sent.
   * A published article turned back into a draft is withdrawn like a removed
   * one (a Delete goes out), as WordPress's ActivityPub plugin does on unpublish.
   */
  drafts: string[];
}

/**
 * The live view of `content/`: reloaded when files change (watched), and
 * re-announced when a future-dated article's time comes.
 */
export interface ContentSource {
  /** The latest snapshot. */
  current(): ContentSnapshot;
  /** Valid articles with `published <= now`, newest first. */
  published(now?: Date): Article[];
  /** Bumped on every change that can alter what is served (reload or an article coming due). */
  readonly version: number;
  /**
   * When the current version began: the load that made it (the first load at
   * start), or the moment a scheduled article came due. What the HTTP layer
   * dates a changed document by when nothing in the document carries a date
   * (a body edit without `updated`, a removal, a `site.yml` change).
   */
  readonly changedAt: Date;
  /** Called after each change; returns an unsubscribe function. */
  onChange(listener: (snapshot: ContentSnapshot) => void): () => void;
  /** Reloads now (the watcher calls this; tests may too). */
  reload(): Promise<ContentSnapshot>;
  close(): Promise<void>;
}

/**
 * Articles from another origin than `content/articles/` (the newsroom's
 * store), merged into the one snapshot every reader of content sees.
 * `content/` knows nothing of the store: `main.ts` passes this in.
 */
export interface ArticleOrigin {
  /** Every article the origin publishes (future-dated ones too: they are gated by time like files). */
  load(site: Site): Promise<Article[]>;
  /** Grows on every change, in any process: polled to notice another process's publish. */
  changeCounter(): Promise<number>;
}
