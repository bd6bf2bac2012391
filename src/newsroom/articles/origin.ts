/**
 * Newsroom articles as the content source serves them: each published (or
 * scheduled) article's published revision as an {@link Article}, beside the
 * files. Scheduling needs nothing here: a future `published` is gated by
 * time everywhere, exactly as a future-dated file is.
 */
import { createHash } from "node:crypto";
import { renderNewsroomMarkdown } from "../../content/markdown.ts";
import type { Article, ArticleOrigin, Site } from "../../content/types.ts";
import { isPictureId, pictureImage } from "../../media/picture.ts";
import type { ArticleStore, PublishedArticle, PublishedMarks } from "../../storage/articles.ts";
import type { PictureStore } from "../../storage/pictures.ts";
import { own } from "../../text/own.ts";
import type { Urls } from "../../urls.ts";
import type { PictureLookup } from "./form-check.ts";

/** Looks pictures up in the store, as pages and Notes name them. */
export function storePictures(
  store: Pick<PictureStore, "getPicture">,
  urls: Pick<Urls, "picture">,
): PictureLookup {
  return async (id) => {
    if (!isPictureId(id)) return null;
    const picture = await store.getPicture(id);
    return picture ? pictureImage(picture, urls) : null;
  };
}

export interface NewsroomOriginDeps {
  store: Pick<
    ArticleStore,
    "listPublishedArticles" | "listPublishedMarks" | "articleChangeCounter"
  >;
  pictures: PictureLookup;
  /** The public origin: relative links and our own pictures resolve against it. */
  origin: URL;
}

/** The Note's and the page's article for one published newsroom article. */
export async function toArticle(
  { article, revision, firstPublishedNumber }: PublishedArticle,
  site: Site,
  deps: Pick<NewsroomOriginDeps, "pictures" | "origin">,
): Promise<Article> {
  const published = article.firstPublishedAt ?? revision.published ?? revision.publishedAt;
  if (!published) throw new Error(`article ${article.id} is published without a time`);
  // Flat: the sanitizer's rope would hold its pieces for as long as the article is served.
  const html = own(renderNewsroomMarkdown(revision.body, deps.origin.href));
  const out: Article = {
    slug: article.slug,
    file: `newsroom/${article.id}`,
    newsroomId: article.id,
    title: revision.title,
    published,
    authors: revision.authors,
    tags: revision.tags,
    language: revision.language || site.language,
    html,
    hash: "",
  };
  // An edit published after the first publication is the Note's `updated`.
  if (revision.number > firstPublishedNumber && revision.publishedAt) {
    out.updated = revision.publishedAt;
  }
  if (revision.summary !== "") out.summary = revision.summary;
  if (revision.pinned) out.pinned = true;
  if (revision.imageId) {
    const picture = await deps.pictures(revision.imageId);
    if (picture) {
      out.image = {
        url: picture.src,
        alt: revision.imageAlt || picture.alt,
        mediaType: picture.mediaType,
        width: picture.width,
        height: picture.height,
        srcset: picture.srcset,
      };
    }
  }
  // What followers would see change (pinning aside, as for files: see `Article.hash`).
  out.hash = createHash("sha256")
    .update(
      JSON.stringify([
        out.title,
        out.published.toISOString(),
        out.updated?.toISOString() ?? null,
        out.authors,
        out.summary ?? null,
        out.tags,
        out.language,
        out.image ?? null,
        revision.body,
      ]),
    )
    .digest("hex");
  return out;
}

/**
 * What makes one published article's {@link Article}: its revision (revisions
 * never change but for their marks), the marks and times it shows, and the
 * site's language. A picture is looked up each time (it may be replaced or
 * deleted), so an article with one is not kept whole.
 */
function cacheKey(m: PublishedMarks, site: Site) {
  return JSON.stringify([
    m.id,
    m.slug,
    m.firstPublishedAt?.getTime() ?? null,
    m.revision,
    m.published?.getTime() ?? null,
    m.publishedAt?.getTime() ?? null,
    m.firstPublishedNumber,
    site.language,
  ]);
}

function marksOf({ article, revision, firstPublishedNumber }: PublishedArticle): PublishedMarks {
  return {
    id: article.id,
    slug: article.slug,
    firstPublishedAt: article.firstPublishedAt,
    revision: revision.number,
    published: revision.published,
    publishedAt: revision.publishedAt,
    firstPublishedNumber,
    imageId: revision.imageId,
  };
}

/**
 * The newsroom as an origin of the content source. Each load reads every
 * published article's marks, and the text of only those it has not rendered
 * before (and those with a picture): a publish with 10,000 articles in the
 * store would otherwise read and render them all again before readers see
 * the new one.
 */
export function newsroomOrigin(deps: NewsroomOriginDeps): ArticleOrigin {
  let rendered = new Map<string, Article>();
  return {
    async load(site) {
      const marks = await deps.store.listPublishedMarks();
      const keys = marks.map((m) => cacheKey(m, site));
      const wanted = marks.filter((m, i) => m.imageId || !rendered.has(keys[i] as string));
      // Read one at a time after the marks, an article may have changed in
      // between: what is read is served (the change counter, read before the
      // load, brings another one), one missing is no longer published.
      const read = new Map<string, Article>();
      const fresh = new Map<string, Article>();
      if (wanted.length > 0) {
        const rows = await deps.store.listPublishedArticles(
          wanted.length * 2 > marks.length ? undefined : wanted.map((m) => m.id),
        );
        const wantedIds = new Set(wanted.map((m) => m.id));
        await Promise.all(
          rows.map(async (p) => {
            if (!wantedIds.has(p.article.id)) return;
            const article = await toArticle(p, site, deps);
            read.set(p.article.id, article);
            if (!p.revision.imageId) fresh.set(cacheKey(marksOf(p), site), article);
          }),
        );
      }
      const next = new Map<string, Article>();
      const articles: Article[] = [];
      marks.forEach((m, i) => {
        const key = keys[i] as string;
        const kept = m.imageId ? undefined : rendered.get(key);
        const article = kept ?? read.get(m.id);
        if (!article) return;
        articles.push(article);
        if (kept) next.set(key, kept);
      });
      for (const [key, article] of fresh) next.set(key, article);
      // Only what is published now stays: an unpublished article's rendering goes.
      rendered = next;
      return articles;
    },
    changeCounter: () => deps.store.articleChangeCounter(),
  };
}
