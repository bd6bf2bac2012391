import { expect, it } from "vitest";
import type { ArticleChange, ArticleFields } from "../../src/storage/articles.ts";
import { type Backend, withStore } from "./backends.ts";

const T0 = Date.UTC(2026, 2, 1, 8, 0, 0);
export const at = (minutes: number) => new Date(T0 + minutes * 60_000);

export function fields(overrides: Partial<ArticleFields> = {}): ArticleFields {
  return {
    title: "Cửa Lò đón khách",
    summary: "",
    body: "Nội dung **đậm**.",
    tags: ["Du lịch"],
    authors: ["Phòng Văn hóa"],
    language: "vi",
    published: null,
    slug: "cua-lo-don-khach",
    pinned: false,
    imageId: null,
    imageAlt: "",
    ...overrides,
  };
}

export function audit(action: string, target: string, minutes = 0): ArticleChange["audit"] {
  return {
    actor: "lan",
    action,
    subject: target,
    outcome: "ok",
    detail: null,
    address: "127.0.0.1",
    at: at(minutes),
  };
}

export function create(id: string, f: ArticleFields = fields()): ArticleChange {
  return {
    articleId: id,
    create: { owner: "lan", createdAt: at(0) },
    expectedLatest: 0,
    revision: { fields: f, savedBy: "lan", savedAt: at(0) },
    article: { state: "draft", updatedAt: at(0) },
    audit: audit("article.save", id),
  };
}

/** The behaviour every {@link Store} shows for newsroom articles and revisions. */
export function articlesSuite(backend: Backend): void {
  it("creates an article with its first revision and reads both back", async () => {
    await withStore(backend, async (store) => {
      const result = await store.applyArticleChange(create("a1"));
      expect(result.ok).toBe(true);
      const article = await store.getArticle("a1");
      expect(article).toMatchObject({
        id: "a1",
        slug: "cua-lo-don-khach",
        state: "draft",
        owner: "lan",
        latestRevision: 1,
        publishedRevision: null,
        firstPublishedAt: null,
        title: "Cửa Lò đón khách",
      });
      expect(article?.createdAt.getTime()).toBe(at(0).getTime());
      const revision = await store.getRevision("a1", 1);
      expect(revision).toMatchObject({ ...fields(), number: 1, savedBy: "lan", submittedBy: null });
      expect(revision?.savedAt.getTime()).toBe(at(0).getTime());
      expect(await store.getArticleBySlug("cua-lo-don-khach")).toMatchObject({ id: "a1" });
      expect(await store.getArticle("nope")).toBeNull();
    });
  });

  it("refuses a change computed from an older revision, writing nothing", async () => {
    await withStore(backend, async (store) => {
      await store.applyArticleChange(create("a1"));
      const save = (title: string, expectedLatest: number): ArticleChange => ({
        articleId: "a1",
        expectedLatest,
        revision: { fields: fields({ title }), savedBy: "minh", savedAt: at(5) },
        article: { state: "draft", updatedAt: at(5) },
        audit: audit("article.save", "a1", 5),
      });
      expect(await store.applyArticleChange(save("Bản của Minh", 1))).toMatchObject({ ok: true });
      const counter = await store.articleChangeCounter();
      expect(await store.applyArticleChange(save("Bản của Lan", 1))).toEqual({
        ok: false,
        reason: "conflict",
        latest: 2,
      });
      expect(await store.articleChangeCounter()).toBe(counter);
      // Each change carries its audit record; the refused one left none.
      const records = await store.listAudit({ action: "article.", limit: 10 });
      expect(records.items.map((r) => [r.action, r.subject])).toEqual([
        ["article.save", "a1"],
        ["article.save", "a1"],
      ]);
      const revisions = await store.listRevisions("a1");
      expect(revisions.map((r) => [r.number, r.title])).toEqual([
        [2, "Bản của Minh"],
        [1, "Cửa Lò đón khách"],
      ]);
      expect(await store.applyArticleChange({ ...save("x", 0), articleId: "none" })).toEqual({
        ok: false,
        reason: "not-found",
      });
      // Creating an article whose id is taken is refused the same way, with its latest.
      expect(await store.applyArticleChange(create("a1"))).toEqual({
        ok: false,
        reason: "conflict",
        latest: 2,
      });
    });
  });

  it("keeps one slug for one article", async () => {
    await withStore(backend, async (store) => {
      await store.applyArticleChange(create("a1"));
      expect(await store.applyArticleChange(create("a2"))).toEqual({
        ok: false,
        reason: "slug-taken",
        slug: "cua-lo-don-khach",
      });
      expect(await store.getArticle("a2")).toBeNull();
      expect(
        await store.applyArticleChange(create("a2", fields({ slug: "bai-khac" }))),
      ).toMatchObject({ ok: true });
      const moveOnto: ArticleChange = {
        articleId: "a2",
        expectedLatest: 1,
        revision: {
          fields: fields({ slug: "cua-lo-don-khach" }),
          savedBy: "lan",
          savedAt: at(1),
        },
        article: { state: "draft", updatedAt: at(1) },
        audit: audit("article.save", "a2", 1),
      };
      expect(await store.applyArticleChange(moveOnto)).toMatchObject({ reason: "slug-taken" });
      expect((await store.getArticle("a2"))?.latestRevision).toBe(1);
    });
  });

  it("publishes, marks revisions, lists published ones and counts changes", async () => {
    await withStore(backend, async (store) => {
      const c0 = await store.articleChangeCounter();
      await store.applyArticleChange(create("a1", fields({ published: at(60) })));
      await store.applyArticleChange(create("a2", fields({ slug: "hai", title: "Hai" })));
      expect(await store.listPublishedArticles()).toEqual([]);
      const publish: ArticleChange = {
        articleId: "a1",
        expectedLatest: 1,
        marks: {
          number: 1,
          set: { approvedBy: "minh", approvedAt: at(10), publishedBy: "minh", publishedAt: at(10) },
        },
        article: {
          state: "scheduled",
          updatedAt: at(10),
          publishedRevision: 1,
          firstPublishedAt: at(60),
        },
        audit: audit("article.publish", "a1", 10),
      };
      expect(await store.applyArticleChange(publish)).toMatchObject({
        ok: true,
        article: { state: "scheduled", publishedRevision: 1, latestRevision: 1 },
      });
      expect(await store.articleChangeCounter()).toBe(c0 + 3);
      const listed = await store.listPublishedArticles();
      expect(listed).toHaveLength(1);
      expect(listed[0]?.article.id).toBe("a1");
      expect(listed[0]?.revision).toMatchObject({ number: 1, approvedBy: "minh" });
      expect(listed[0]?.revision.published?.getTime()).toBe(at(60).getTime());
      expect(listed[0]?.revision.publishedAt?.getTime()).toBe(at(10).getTime());

      // An edit of a published article: a new latest revision, readers keep revision 1.
      await store.applyArticleChange({
        articleId: "a1",
        expectedLatest: 1,
        revision: { fields: fields({ title: "Sửa" }), savedBy: "lan", savedAt: at(20) },
        article: { state: "scheduled", updatedAt: at(20) },
        audit: audit("article.save", "a1", 20),
      });
      const after = await store.listPublishedArticles();
      expect(after[0]?.revision.title).toBe("Cửa Lò đón khách");
      expect(after[0]?.article).toMatchObject({ latestRevision: 2, publishedRevision: 1 });
      expect(after[0]?.firstPublishedNumber).toBe(1);
      expect(after[0]?.article.firstPublishedAt?.getTime()).toBe(at(60).getTime());
    });
  });

  it("lists by state, owner and title (Vietnamese, any case), with paging and counts", async () => {
    await withStore(backend, async (store) => {
      for (let i = 0; i < 5; i++) {
        const change = create(`a${i}`, fields({ slug: `bai-${i}`, title: `Bài số ${i} ĐÀ NẴNG` }));
        change.article.updatedAt = at(i);
        if (i % 2 === 0) change.article.state = "submitted";
        if (i === 4 && change.create) change.create.owner = "minh";
        await store.applyArticleChange(change);
      }
      const all = await store.listArticles({ offset: 0, limit: 2 });
      expect(all.total).toBe(5);
      expect(all.items.map((a) => a.id)).toEqual(["a4", "a3"]);
      const page2 = await store.listArticles({ offset: 2, limit: 2 });
      expect(page2.items.map((a) => a.id)).toEqual(["a2", "a1"]);
      const submitted = await store.listArticles({ state: "submitted", offset: 0, limit: 10 });
      expect(submitted.items.map((a) => a.id)).toEqual(["a4", "a2", "a0"]);
      const search = await store.listArticles({ title: "đà nẵng", offset: 0, limit: 10 });
      expect(search.total).toBe(5);
      const one = await store.listArticles({ title: "số 3", offset: 0, limit: 10 });
      expect(one.items.map((a) => a.id)).toEqual(["a3"]);
      const mine = await store.listArticles({ owner: "minh", offset: 0, limit: 10 });
      expect(mine.items.map((a) => a.id)).toEqual(["a4"]);
      expect(await store.countArticles("submitted")).toBe(3);
      expect(await store.countArticles("submitted", "lan")).toBe(2);
    });
  });

  it("filters by the state shown at a time: a scheduled article whose time has come is published", async () => {
    await withStore(backend, async (store) => {
      const schedule = (id: string, when: Date): ArticleChange => ({
        articleId: id,
        expectedLatest: 1,
        marks: { number: 1, set: { publishedBy: "minh", publishedAt: at(1) } },
        article: {
          state: "scheduled",
          updatedAt: at(1),
          publishedRevision: 1,
          firstPublishedAt: when,
        },
        audit: audit("article.publish", id, 1),
      });
      await store.applyArticleChange(create("due", fields({ slug: "due", published: at(10) })));
      await store.applyArticleChange(schedule("due", at(10)));
      await store.applyArticleChange(create("later", fields({ slug: "later", published: at(90) })));
      await store.applyArticleChange(schedule("later", at(90)));
      await store.applyArticleChange(create("draft", fields({ slug: "draft" })));
      const ids = async (state: "published" | "scheduled", shownAt?: Date) => {
        const listed = await store.listArticles({ state, shownAt, offset: 0, limit: 10 });
        expect(listed.total).toBe(listed.items.length);
        return listed.items.map((a) => a.id).sort();
      };
      expect(await ids("published", at(50))).toEqual(["due"]);
      expect(await ids("scheduled", at(50))).toEqual(["later"]);
      expect(await ids("published", at(100))).toEqual(["due", "later"]);
      expect(await ids("scheduled", at(100))).toEqual([]);
      // Without a time, the stored state.
      expect(await ids("scheduled")).toEqual(["due", "later"]);
    });
  });

  it("keeps articles across a reopen", async () => {
    const target = await backend.target();
    const first = await target.open();
    await first.store.applyArticleChange(create("a1"));
    await first.store.close();
    const second = await target.open();
    try {
      expect(await second.store.getArticle("a1")).toMatchObject({ slug: "cua-lo-don-khach" });
      expect(await second.store.listRevisions("a1")).toHaveLength(1);
    } finally {
      await second.store.close();
    }
  });
}
