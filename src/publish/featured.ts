/**
 * What the actor's profile features: the pinned articles (`featured`) and its
 * hashtags (`featuredTags`). Pure: articles and site settings in.
 */
import { countTags } from "../content/tags.ts";
import type { Article, Site } from "../content/types.ts";

/** Mastodon shows up to 10 featured hashtags; a town's few main topics read better. */
export const FEATURED_TAGS_FROM_USE = 5;

/** The published articles with `pinned: true`, newest first (as Mastodon lists pins). */
export function pinnedArticles(published: readonly Article[]): Article[] {
  return published
    .filter((a) => a.pinned === true)
    .sort((a, b) => b.published.getTime() - a.published.getTime());
}

/**
 * The profile's hashtags: `actor.featured_tags` from `site.yml` when given,
 * else the {@link FEATURED_TAGS_FROM_USE} tags the most published articles
 * carry (ties in Vietnamese order).
 */
export function featuredTagNames(site: Site, published: readonly Article[]): string[] {
  if (site.actor.featuredTags) return site.actor.featuredTags;
  return countTags(published)
    .map((tag, order) => ({ ...tag, order }))
    .sort((a, b) => b.count - a.count || a.order - b.order)
    .slice(0, FEATURED_TAGS_FROM_USE)
    .map((tag) => tag.name);
}
