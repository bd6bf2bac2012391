/**
 * Every published article, from both origins, as a `content/` directory:
 * file articles copied byte for byte (with their pictures), newsroom articles
 * written as Markdown with front matter and their picture's full rendition.
 * Pointing CONTENT_DIR at the result serves the same articles.
 */
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { loadContent } from "../../content/load.ts";
import type { ArticleStore, PublishedArticle } from "../../storage/articles.ts";
import type { PictureStore } from "../../storage/pictures.ts";

export interface ExportDeps {
  contentDir: string;
  store: Pick<ArticleStore, "listPublishedArticles"> & Pick<PictureStore, "getRendition">;
  /** The public origin: a newsroom article's `/media/…` pictures are ours. */
  outDir: string;
}

export interface ExportResult {
  files: number;
  newsroom: number;
  pictures: number;
}

const EXTENSIONS: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/gif": "gif",
};

/** A newsroom article as an article file's text. */
export function articleFileText(
  { article, revision }: PublishedArticle,
  image: string | null,
): string {
  const published = article.firstPublishedAt ?? revision.published ?? revision.publishedAt;
  const data: Record<string, unknown> = {
    title: revision.title,
    published: published?.toISOString(),
    slug: article.slug,
  };
  if (revision.authors.length > 0) data.author = revision.authors;
  if (revision.summary !== "") data.summary = revision.summary;
  if (revision.tags.length > 0) data.tags = revision.tags;
  if (revision.language !== "") data.language = revision.language;
  if (revision.pinned) data.pinned = true;
  if (image) data.image = { url: image, alt: revision.imageAlt };
  // The body's raw HTML is rendered as the newsroom renders it, not shown as text.
  data.html = "sanitized";
  return `---\n${stringify(data, { lineWidth: 0 })}---\n\n${revision.body.replace(/\n*$/, "\n")}`;
}

export async function exportArticles(deps: ExportDeps): Promise<ExportResult> {
  const result: ExportResult = { files: 0, newsroom: 0, pictures: 0 };
  const snapshot = await loadContent(deps.contentDir);
  await mkdir(join(deps.outDir, "articles"), { recursive: true });
  await copyFile(join(deps.contentDir, "site.yml"), join(deps.outDir, "site.yml"));
  const newsroom = await deps.store.listPublishedArticles();
  const taken = new Set(newsroom.map((p) => p.article.slug));
  for (const a of snapshot.articles) {
    if (taken.has(a.slug)) continue; // the newsroom's article holds that slug (see content/merge.ts)
    const target = join(deps.outDir, a.file);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await readFile(join(deps.contentDir, a.file)));
    result.files++;
    if (a.image?.url.startsWith("/media/")) {
      const rel = a.image.url.slice("/media/".length).split("/").map(decodeURIComponent).join("/");
      await mkdir(dirname(join(deps.outDir, rel)), { recursive: true });
      await copyFile(join(deps.contentDir, rel), join(deps.outDir, rel));
      result.pictures++;
    }
  }
  for (const published of newsroom) {
    let image: string | null = null;
    const id = published.revision.imageId;
    if (id) {
      const full = await deps.store.getRendition(id, "full");
      if (full) {
        image = `images/${id}.${EXTENSIONS[full.mediaType] ?? "jpg"}`;
        await mkdir(join(deps.outDir, "images"), { recursive: true });
        await writeFile(join(deps.outDir, image), full.data);
        result.pictures++;
      }
    }
    await writeFile(
      join(deps.outDir, "articles", `${published.article.slug}.md`),
      articleFileText(published, image),
    );
    result.newsroom++;
  }
  return result;
}
