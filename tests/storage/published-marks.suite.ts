import { expect, it } from "vitest";
import type { ArticleChange, ArticleFields, ArticleStore } from "../../src/storage/articles.ts";
import { at, audit, create, fields } from "./articles.suite.ts";
import { type Backend, withStore } from "./backends.ts";

/** Publishes the article's latest revision (`number`), as the service does. */
export function publish(id: string, number: number, minutes: number, first: Date): ArticleChange {
  return {
    articleId: id,
    expectedLatest: number,
    marks: {
      number,
      set: { publishedBy: "minh", publishedAt: at(minutes) },
    },
    article: {
      state: "published",
      updatedAt: at(minutes),
      publishedRevision: number,
      firstPublishedAt: first,
    },
    audit: audit("article.publish", id, minutes),
  };
}

export function edit(id: string, latest: number, f: ArticleFields, minutes: number): ArticleChange {
  return {
    articleId: id,
    expectedLatest: latest,
    revision: { fields: f, savedBy: "lan", savedAt: at(minutes) },
    article: { state: "published", updatedAt: at(minutes) },
    audit: audit("article.save", id, minutes),
  };
}

async function seed(store: Pick<ArticleStore, "applyArticleChange">) {
  // b: published, then edited and the edit published (revision 2).
  await store.applyArticleChange(create("b", fields({ slug: "bai-b", title: "Bê" })));
  await store.applyArticleChange(publish("b", 1, 5, at(5)));
  await store.applyArticleChange(edit("b", 1, fields({ slug: "bai-b", title: "Bê sửa" }), 6));
  await store.applyArticleChange(publish("b", 2, 7, at(5)));
  // a: published with a picture and a scheduled time.
  const withPicture = fields({ slug: "bai-a", imageId: "p1", published: at(90) });
  await store.applyArticleChange(create("a", withPicture));
  await store.applyArticleChange(publish("a", 1, 8, at(90)));
  // c: a draft, never published.
  await store.applyArticleChange(create("c", fields({ slug: "bai-c" })));
}

/** The store's cheap listing of published articles' marks, and reading some by id. */
export function publishedMarksSuite(backend: Backend): void {
  it("lists the published articles' marks, as their full rows show them, by id", async () => {
    await withStore(backend, async (store) => {
      expect(await store.listPublishedMarks()).toEqual([]);
      await seed(store);
      const marks = await store.listPublishedMarks();
      expect(marks).toEqual([
        {
          id: "a",
          slug: "bai-a",
          firstPublishedAt: at(90),
          revision: 1,
          published: at(90),
          publishedAt: at(8),
          firstPublishedNumber: 1,
          imageId: "p1",
        },
        {
          id: "b",
          slug: "bai-b",
          firstPublishedAt: at(5),
          revision: 2,
          published: null,
          publishedAt: at(7),
          firstPublishedNumber: 1,
          imageId: null,
        },
      ]);
      const full = await store.listPublishedArticles();
      expect(
        full.map(({ article, revision, firstPublishedNumber }) => ({
          id: article.id,
          slug: article.slug,
          firstPublishedAt: article.firstPublishedAt,
          revision: revision.number,
          published: revision.published,
          publishedAt: revision.publishedAt,
          firstPublishedNumber,
          imageId: revision.imageId,
        })),
      ).toEqual(marks);
    });
  });

  it("reads only the published articles among the ids asked for", async () => {
    await withStore(backend, async (store) => {
      await seed(store);
      const some = await store.listPublishedArticles(["b", "c", "nobody"]);
      expect(some.map((p) => [p.article.id, p.revision.number, p.revision.title])).toEqual([
        ["b", 2, "Bê sửa"],
      ]);
      expect(some[0]?.firstPublishedNumber).toBe(1);
      expect(await store.listPublishedArticles([])).toEqual([]);
      // An id is a value, never part of the query.
      const hostile = ['b"]', "' OR 1=1 --", "b') OR ('1'='1", '["a"]'];
      expect(await store.listPublishedArticles(hostile)).toEqual([]);
    });
  });
}
