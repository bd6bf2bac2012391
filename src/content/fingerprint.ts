/**
 * The fingerprint of a loaded snapshot: two snapshots with the same one serve
 * the same thing, so a reload that changed nothing is not announced.
 */
import type { Article, ContentSnapshot } from "./types.ts";

/**
 * Each article's part of the fingerprint, kept while the article is: a
 * newsroom article is the same object from one reload to the next, so a
 * publish beside 10,000 of them does not stringify them all again.
 */
const articlePrints = new WeakMap<Article, string>();
function articlePrint(a: Article): string {
  let print = articlePrints.get(a);
  if (print === undefined) {
    print = JSON.stringify([
      a.file,
      a.slug,
      a.hash,
      a.pinned,
      a.language,
      a.image?.url,
      a.image?.length,
      a.published.getTime(),
    ]);
    articlePrints.set(a, print);
  }
  return print;
}

/** What can change what we serve; problems included so check output stays current. */
export function fingerprint(s: ContentSnapshot): string {
  return JSON.stringify({
    site: s.site,
    articles: s.articles.map(articlePrint).join(","),
    problems: s.problems,
  });
}
