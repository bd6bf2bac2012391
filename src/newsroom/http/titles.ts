/** Article titles by slug, for pages that name the article something belongs to. */
import type { ContentSource } from "../../content/types.ts";

/** Every article's title by slug, future-dated ones too (a reply may come early). */
export function articleTitles(content: Pick<ContentSource, "current">): Map<string, string> {
  return new Map(content.current().articles.map((a) => [a.slug, a.title]));
}
