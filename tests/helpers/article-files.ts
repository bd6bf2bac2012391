/**
 * Writes `Article` fixtures (e.g. `manyArticles()`) as the Markdown files an
 * editor would put under `content/articles/`, so an end-to-end test serves
 * them through the real loader.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Article } from "../../src/content/types.ts";

/** The file's text: front matter (JSON scalars are valid YAML) and a one-paragraph body. */
export function articleFile(article: Article, body = plainBody(article)): string {
  const lines = [
    "---",
    `title: ${JSON.stringify(article.title)}`,
    `published: ${article.published.toISOString()}`,
    ...(article.updated ? [`updated: ${article.updated.toISOString()}`] : []),
    ...(article.authors.length > 0 ? [`author: ${JSON.stringify(article.authors)}`] : []),
    ...(article.summary !== undefined ? [`summary: ${JSON.stringify(article.summary)}`] : []),
    ...(article.tags.length > 0 ? [`tags: ${JSON.stringify(article.tags)}`] : []),
    `language: ${article.language}`,
    "---",
    "",
    body,
    "",
  ];
  return lines.join("\n");
}

/** The fixture's HTML body as the Markdown that renders to it (one paragraph of text). */
function plainBody(article: Article): string {
  return article.html.replace(/^<p>|<\/p>\s*$/g, "");
}

/** Writes every article as `articles/<slug>.md` under `contentDir`. */
export async function writeArticleFiles(
  contentDir: string,
  articles: readonly Article[],
): Promise<void> {
  await Promise.all(
    articles.map((a) => writeFile(join(contentDir, "articles", `${a.slug}.md`), articleFile(a))),
  );
}
