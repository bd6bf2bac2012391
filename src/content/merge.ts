import { getLogger } from "@logtape/logtape";
import { byPublishedDesc } from "./load.ts";
import type { Article, ContentSnapshot } from "./types.ts";

const logger = getLogger(["loa", "content"]);

/**
 * The files' snapshot with another origin's articles (the newsroom's) merged
 * in: one list, newest first, one slug one article. The newsroom refuses a
 * slug a file holds, so a clash means a file added later with a newsroom
 * article's slug: the newsroom article keeps its URL (it may already be
 * federated under it) and the file is reported, as a duplicate file is.
 */
export function mergeOrigin(files: ContentSnapshot, extra: readonly Article[]): ContentSnapshot {
  if (extra.length === 0) return files;
  const taken = new Map(extra.map((a) => [a.slug, a]));
  const problems = [...files.problems];
  const articles: Article[] = [];
  for (const a of files.articles) {
    const other = taken.get(a.slug);
    if (other) {
      const reason = `"${a.slug}" is already used by an article written in the newsroom`;
      problems.push({ file: a.file, field: "slug", reason });
      logger.warning("{file}: slug: {reason}", { file: a.file, reason });
      continue;
    }
    articles.push(a);
  }
  articles.push(...extra);
  articles.sort(byPublishedDesc);
  return { ...files, articles, problems };
}
