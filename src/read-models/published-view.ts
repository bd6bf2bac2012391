/**
 * What the pages and feeds derive from the published articles (lookups by
 * slug and tag, tag counts, the month archive index), each computed at most
 * once per content version: requests read them, only a change recomputes
 * them. So paging through the archive costs per request a map lookup, and
 * per change one pass over the articles.
 */
import { BoundedMap } from "../bounded-map.ts";
import type { Clock } from "../clock.ts";
import { countTags, type TagCount, tagKey } from "../content/tags.ts";
import type { Article, ContentSource } from "../content/types.ts";
import { type ArchiveIndex, archiveIndex } from "../feeds/archive.ts";

/** One tag's published articles, and the tag as they spell it. */
export interface TaggedArticles {
  /** The tag as the newest article carrying it spells it (the canonical URL's spelling). */
  name: string;
  /** Newest first. */
  articles: Article[];
}

/** The published articles of one content version, with what is derived from them. */
export interface PublishedView {
  /** Newest first. */
  readonly articles: Article[];
  /** The latest `updated ?? published` of them all (the epoch for an empty site). */
  readonly newest: Date;
  bySlug(slug: string): Article | undefined;
  /** The articles tagged `tag`, in any case and either Unicode normal form; undefined for none. */
  tagged(tag: string): TaggedArticles | undefined;
  /** Every tag with its count (see `countTags`). */
  tags(): TagCount[];
  /** The articles by month in the site's time zone (the RFC 5005 archives). */
  archive(): ArchiveIndex;
}

const EPOCH = new Date(0);

/** The latest `updated ?? published` of `articles`: what a document listing them carries. */
export function newestChange(articles: readonly Article[]): Date {
  let max = EPOCH;
  for (const a of articles) {
    const t = a.updated ?? a.published;
    if (t > max) max = t;
  }
  return max;
}

/**
 * Tag lookups are by {@link tagKey} of the NFC form: the files are NFC, but a
 * URL typed or copied on some systems arrives decomposed (`Cửa Lò` as `C u ̛ ̉ …`),
 * and both name the same tag.
 */
export const tagLookupKey = (tag: string) => tagKey(tag.normalize("NFC"));

/** How many spellings of tags a view keeps the answer for, and the longest it keeps. */
const TAG_LOOKUPS_KEPT = 1024;
const TAG_LOOKUP_MAX_LENGTH = 200;

function buildView(articles: Article[], timezone: string): PublishedView {
  const bySlug = new Map(articles.map((a) => [a.slug, a]));
  let byTag: Map<string, TaggedArticles> | undefined;
  const lookups = new BoundedMap<string, TaggedArticles | undefined>(TAG_LOOKUPS_KEPT);
  let tags: TagCount[] | undefined;
  let index: ArchiveIndex | undefined;
  return {
    articles,
    newest: newestChange(articles),
    bySlug: (slug) => bySlug.get(slug),
    tagged(tag) {
      if (byTag === undefined) {
        byTag = new Map();
        for (const article of articles) {
          for (const name of article.tags) {
            const key = tagLookupKey(name);
            const bucket = byTag.get(key);
            // An article naming a tag twice (in two cases) is listed once.
            if (bucket === undefined) byTag.set(key, { name, articles: [article] });
            else if (bucket.articles.at(-1) !== article) bucket.articles.push(article);
          }
        }
      }
      // Folding a tag to its key (NFC, then lower case) cost ~0.8 µs of a tag
      // page in the profile; the fast path hands the same string for a URL it
      // has seen, so the answer is kept for the spellings asked for again.
      let found = lookups.get(tag);
      if (found === undefined && !lookups.has(tag)) {
        found = byTag.get(tagLookupKey(tag));
        if (tag.length <= TAG_LOOKUP_MAX_LENGTH) lookups.set(tag, found);
      }
      return found;
    },
    tags: () => {
      tags ??= countTags(articles);
      return tags;
    },
    archive: () => {
      index ??= archiveIndex(articles, timezone);
      return index;
    },
  };
}

/** The view of the current content version, rebuilt when the version changes. */
export function publishedView(content: ContentSource, clock: Clock): () => PublishedView {
  let version = -1;
  let view: PublishedView | undefined;
  return () => {
    if (view === undefined || content.version !== version) {
      version = content.version;
      view = buildView(content.published(clock()), content.current().site.timezone);
    }
    return view;
  };
}
