import type { Sql, TransactionSql } from "postgres";
import {
  type ArticleRow as ArticleRowOf,
  changeBase,
  MARK_COLUMNS,
  type MarksRow,
  type RevisionRow as RevisionRowOf,
  titleKey,
  toArticle as toArticleOf,
  toMarks,
  toRevision as toRevisionOf,
} from "../article-rows.ts";
import type {
  ArticleChange,
  ArticleChangeResult,
  ArticleStore,
  RevisionMarks,
} from "../articles.ts";
import { type PostgresTime, postgresTime } from "../rows.ts";
import { insertAuditRow } from "./audit.ts";

type ArticleRow = ArticleRowOf<PostgresTime>;
type RevisionRow = RevisionRowOf<PostgresTime>;
const toArticle = (row: ArticleRow) => toArticleOf(postgresTime, row);
const toRevision = (row: RevisionRow) => toRevisionOf(postgresTime, row);

async function apply(tx: TransactionSql, change: ArticleChange): Promise<ArticleChangeResult> {
  // The row lock serialises actions on one article across web processes.
  const rows = await tx<ArticleRow[]>`
    SELECT * FROM articles WHERE id = ${change.articleId} FOR UPDATE`;
  const current = rows[0];
  const base = changeBase(current, change);
  if ("refused" in base) return base.refused;
  const latest = base.latest;

  let number = latest;
  let slug = current?.slug ?? "";
  let title = current?.title ?? "";
  if (change.revision) {
    const f = change.revision.fields;
    const holder = await tx<{ id: string }[]>`SELECT id FROM articles WHERE slug = ${f.slug}`;
    if (holder[0] && holder[0].id !== change.articleId) {
      return { ok: false, reason: "slug-taken", slug: f.slug };
    }
    number = latest + 1;
    slug = f.slug;
    title = f.title;
  }
  const a = change.article;
  const publishedRevision =
    a.publishedRevision === undefined ? (current?.published_revision ?? null) : a.publishedRevision;
  const firstPublishedAt =
    a.firstPublishedAt === undefined
      ? ((current?.first_published_at as Date | null | undefined) ?? null)
      : a.firstPublishedAt;
  if (change.create) {
    await tx`
      INSERT INTO articles (id, slug, state, owner, created_at, updated_at, latest_revision,
        published_revision, first_published_at, title, title_key)
      VALUES (${change.articleId}, ${slug}, ${a.state}, ${change.create.owner},
        ${change.create.createdAt}, ${a.updatedAt}, ${number}, ${publishedRevision},
        ${firstPublishedAt}, ${title}, ${titleKey(title)})`;
  } else {
    await tx`
      UPDATE articles SET slug = ${slug}, state = ${a.state}, updated_at = ${a.updatedAt},
        latest_revision = ${number}, published_revision = ${publishedRevision},
        first_published_at = ${firstPublishedAt}, title = ${title}, title_key = ${titleKey(title)}
      WHERE id = ${change.articleId}`;
  }
  if (change.revision) {
    const f = change.revision.fields;
    await tx`
      INSERT INTO article_revisions (article_id, number, title, summary, body, tags, authors,
        language, published, slug, pinned, image_id, image_alt, saved_by, saved_at, restored_from)
      VALUES (${change.articleId}, ${number}, ${f.title}, ${f.summary}, ${f.body},
        ${tx.json(f.tags)}, ${tx.json(f.authors)}, ${f.language}, ${f.published}, ${f.slug},
        ${f.pinned}, ${f.imageId}, ${f.imageAlt}, ${change.revision.savedBy},
        ${change.revision.savedAt}, ${change.revision.restoredFrom ?? null})`;
  }
  if (change.marks) {
    const set: Record<string, string | Date | null> = {};
    for (const [k, v] of Object.entries(change.marks.set)) {
      set[MARK_COLUMNS[k as keyof RevisionMarks]] = v ?? null;
    }
    if (Object.keys(set).length > 0) {
      await tx`
        UPDATE article_revisions SET ${tx(set)}
        WHERE article_id = ${change.articleId} AND number = ${change.marks.number}`;
    }
  }
  await tx`UPDATE article_counter SET value = value + 1 WHERE id = 1`;
  await insertAuditRow(tx, change.audit);
  const after = await tx<ArticleRow[]>`SELECT * FROM articles WHERE id = ${change.articleId}`;
  return { ok: true, article: toArticle(after[0] as ArticleRow) };
}

/** Newsroom articles and their revisions on PostgreSQL (shared by every web process). */
export function postgresArticles(sql: Sql): ArticleStore {
  return {
    async applyArticleChange(change) {
      try {
        return await sql.begin((tx) => apply(tx, change));
      } catch (error) {
        // Two new articles racing for one slug: the UNIQUE index settles it.
        if ((error as { code?: string }).code === "23505" && change.revision) {
          return { ok: false, reason: "slug-taken", slug: change.revision.fields.slug };
        }
        throw error;
      }
    },

    async getArticle(id) {
      const rows = await sql<ArticleRow[]>`SELECT * FROM articles WHERE id = ${id}`;
      return rows[0] ? toArticle(rows[0]) : null;
    },

    async getArticleBySlug(slug) {
      const rows = await sql<ArticleRow[]>`SELECT * FROM articles WHERE slug = ${slug}`;
      return rows[0] ? toArticle(rows[0]) : null;
    },

    async listArticles(query) {
      const conditions = [sql`TRUE`];
      const shownAt = query.shownAt;
      if (query.state === "published" && shownAt) {
        conditions.push(
          sql`(state = 'published' OR (state = 'scheduled' AND first_published_at <= ${shownAt}))`,
        );
      } else if (query.state === "scheduled" && shownAt) {
        conditions.push(
          sql`state = 'scheduled' AND (first_published_at IS NULL OR first_published_at > ${shownAt})`,
        );
      } else if (query.state) conditions.push(sql`state = ${query.state}`);
      if (query.owner !== undefined) conditions.push(sql`owner = ${query.owner}`);
      if (query.title) conditions.push(sql`strpos(title_key, ${titleKey(query.title)}) > 0`);
      const where = conditions.reduce((acc, c) => sql`${acc} AND ${c}`);
      const total = await sql<{ n: string }[]>`SELECT count(*) AS n FROM articles WHERE ${where}`;
      const rows = await sql<ArticleRow[]>`
        SELECT * FROM articles WHERE ${where}
        ORDER BY updated_at DESC, id LIMIT ${query.limit} OFFSET ${query.offset}`;
      return { items: rows.map(toArticle), total: Number(total[0]?.n ?? 0) };
    },

    async countArticles(state, owner) {
      const rows =
        owner === undefined
          ? await sql<{ n: string }[]>`SELECT count(*) AS n FROM articles WHERE state = ${state}`
          : await sql<{ n: string }[]>`
              SELECT count(*) AS n FROM articles WHERE state = ${state} AND owner = ${owner}`;
      return Number(rows[0]?.n ?? 0);
    },

    async getRevision(articleId, number) {
      const rows = await sql<RevisionRow[]>`
        SELECT * FROM article_revisions WHERE article_id = ${articleId} AND number = ${number}`;
      return rows[0] ? toRevision(rows[0]) : null;
    },

    async listRevisions(articleId) {
      const rows = await sql<RevisionRow[]>`
        SELECT * FROM article_revisions WHERE article_id = ${articleId} ORDER BY number DESC`;
      return rows.map(toRevision);
    },

    async listPublishedArticles(ids) {
      const only = ids === undefined ? sql`` : sql`AND a.id = ANY(${[...ids]}::text[])`;
      return sql.begin(async (tx) => {
        const articles = await tx<ArticleRow[]>`
          SELECT * FROM articles a WHERE state IN ('published', 'scheduled') ${only}
          ORDER BY a.id`;
        if (articles.length === 0) return [];
        const revisions = await tx<(RevisionRow & { first_number: number | null })[]>`
          SELECT r.*,
            (SELECT min(f.number) FROM article_revisions f
              WHERE f.article_id = a.id AND f.published_at IS NOT NULL) AS first_number
          FROM articles a
            JOIN article_revisions r ON r.article_id = a.id AND r.number = a.published_revision
          WHERE a.state IN ('published', 'scheduled') ${only}`;
        const byId = new Map(
          revisions.map((r) => [r.article_id, { revision: toRevision(r), first: r.first_number }]),
        );
        const out = [];
        for (const row of articles) {
          const found = byId.get(row.id);
          if (found) {
            const { revision, first } = found;
            const firstPublishedNumber = Number(first ?? revision.number);
            out.push({ article: toArticle(row), revision, firstPublishedNumber });
          }
        }
        return out;
      });
    },

    async listPublishedMarks() {
      const rows = await sql<MarksRow<PostgresTime>[]>`
        SELECT a.id, a.slug, a.first_published_at, r.number, r.published, r.published_at,
          r.image_id,
          (SELECT min(f.number) FROM article_revisions f
            WHERE f.article_id = a.id AND f.published_at IS NOT NULL) AS first_number
        FROM articles a
          JOIN article_revisions r ON r.article_id = a.id AND r.number = a.published_revision
        WHERE a.state IN ('published', 'scheduled') ORDER BY a.id`;
      return rows.map((row) => toMarks(postgresTime, row));
    },

    async articleChangeCounter() {
      const rows = await sql<{ value: string }[]>`SELECT value FROM article_counter WHERE id = 1`;
      return Number(rows[0]?.value ?? 0);
    },
  };
}
