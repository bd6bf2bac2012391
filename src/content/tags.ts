/**
 * The tags of the published articles, as the tags page, the OPML list and the
 * tag feeds see them. Pure: articles in, tags out.
 */
import type { Article } from "./types.ts";

/** One tag and how many published articles carry it. */
export interface TagCount {
  /** The tag as the newest article carrying it spells it. */
  name: string;
  count: number;
}

/**
 * The key two spellings of one tag share: hashtags match case-insensitively,
 * as on Mastodon, so `#Du lịch` and `#du lịch` are one tag with one page.
 * Vietnamese has no case rules of its own (Unicode's special casing has them
 * only for Lithuanian, Turkish and Azeri), so the default lower case is the
 * Vietnamese one (`tags.test.ts` checks every code point); asking for the
 * `vi` locale cost ~2 µs a call in the profile of a tag page (about a twentieth
 * of the request), for the locale lookup alone.
 */
export function tagKey(tag: string): string {
  return tag.toLowerCase();
}

/**
 * Every tag of `articles` (newest first) with its count, sorted by name as
 * Vietnamese is collated (`Đ` after `D`, tones after the bare letter). An
 * article naming a tag twice (in two cases) counts once.
 */
export function countTags(articles: readonly Article[]): TagCount[] {
  const byKey = new Map<string, TagCount>();
  for (const article of articles) {
    const seen = new Set<string>();
    for (const name of article.tags) {
      const key = tagKey(name);
      if (name.trim() === "" || seen.has(key)) continue;
      seen.add(key);
      const tag = byKey.get(key);
      if (tag) tag.count += 1;
      else byKey.set(key, { name, count: 1 });
    }
  }
  return sortTags([...byKey.values()]);
}

/** Tags by name in Vietnamese order; ties (same letters, other case) by code point, so the order is total. */
export function sortTags<T extends { name: string }>(tags: readonly T[]): T[] {
  return [...tags].sort(
    (a, b) =>
      a.name.localeCompare(b.name, "vi") || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}
