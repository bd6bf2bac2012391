/**
 * What an article change writes on SQLite: the checks that refuse it (a
 * conflict, a slug another article holds), then the rows it changes.
 */
import type { DatabaseSync } from "node:sqlite";
import {
  type ArticleRow as ArticleRowOf,
  changeBase,
  MARK_COLUMNS,
  titleKey,
  toArticle,
} from "../article-rows.ts";
import type { ArticleChange, ArticleChangeResult, RevisionMarks } from "../articles.ts";
import { type SqliteTime, sqliteTime } from "../rows.ts";
import { insertAuditRow } from "./audit.ts";
import { prepared } from "./open.ts";

type ArticleRow = ArticleRowOf<SqliteTime>;

const ms = (d: Date | null | undefined): number | null => (d == null ? null : d.getTime());

function markValue(
  key: keyof RevisionMarks,
  value: RevisionMarks[keyof RevisionMarks],
): string | number | null {
  if (value == null) return null;
  if (value instanceof Date) return value.getTime();
  void key;
  return value;
}

/**
 * One change to an article (its row, maybe a new revision, marks on one) with
 * its audit row and the change counter. The caller runs it in a transaction.
 */
export function applyChange(db: DatabaseSync, change: ArticleChange): ArticleChangeResult {
  const current = prepared(db, "SELECT * FROM articles WHERE id = ?").get(change.articleId) as
    | ArticleRow
    | undefined;
  const base = changeBase(current, change);
  if ("refused" in base) return base.refused;
  const latest = base.latest;

  let number = latest;
  let slug = current?.slug ?? "";
  let title = current?.title ?? "";
  if (change.revision) {
    const f = change.revision.fields;
    const holder = prepared(db, "SELECT id FROM articles WHERE slug = ?").get(f.slug) as
      | { id: string }
      | undefined;
    if (holder !== undefined && holder.id !== change.articleId) {
      return { ok: false, reason: "slug-taken", slug: f.slug };
    }
    number = latest + 1;
    slug = f.slug;
    title = f.title;
  }
  const a = change.article;
  if (change.create) {
    prepared(
      db,
      `INSERT INTO articles (id, slug, state, owner, created_at, updated_at, latest_revision,
         published_revision, first_published_at, title, title_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      change.articleId,
      slug,
      a.state,
      change.create.owner,
      change.create.createdAt.getTime(),
      a.updatedAt.getTime(),
      number,
      a.publishedRevision ?? null,
      ms(a.firstPublishedAt),
      title,
      titleKey(title),
    );
  } else {
    prepared(
      db,
      `UPDATE articles SET slug = ?, state = ?, updated_at = ?, latest_revision = ?,
         published_revision = ?, first_published_at = ?, title = ?, title_key = ?
       WHERE id = ?`,
    ).run(
      slug,
      a.state,
      a.updatedAt.getTime(),
      number,
      a.publishedRevision === undefined
        ? (current?.published_revision ?? null)
        : a.publishedRevision,
      a.firstPublishedAt === undefined
        ? ((current?.first_published_at as number | null | undefined) ?? null)
        : ms(a.firstPublishedAt),
      title,
      titleKey(title),
      change.articleId,
    );
  }
  if (change.revision) {
    const f = change.revision.fields;
    prepared(
      db,
      `INSERT INTO article_revisions (article_id, number, title, summary, body, tags, authors,
         language, published, slug, pinned, image_id, image_alt, saved_by, saved_at, restored_from)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      change.articleId,
      number,
      f.title,
      f.summary,
      f.body,
      JSON.stringify(f.tags),
      JSON.stringify(f.authors),
      f.language,
      ms(f.published),
      f.slug,
      f.pinned ? 1 : 0,
      f.imageId,
      f.imageAlt,
      change.revision.savedBy,
      change.revision.savedAt.getTime(),
      change.revision.restoredFrom ?? null,
    );
  }
  if (change.marks) {
    const entries = Object.entries(change.marks.set) as [
      keyof RevisionMarks,
      RevisionMarks[keyof RevisionMarks],
    ][];
    if (entries.length > 0) {
      const sets = entries.map(([k]) => `${MARK_COLUMNS[k]} = ?`).join(", ");
      db.prepare(`UPDATE article_revisions SET ${sets} WHERE article_id = ? AND number = ?`).run(
        ...entries.map(([k, v]) => markValue(k, v)),
        change.articleId,
        change.marks.number,
      );
    }
  }
  prepared(db, "UPDATE article_counter SET value = value + 1 WHERE id = 1").run();
  insertAuditRow(db, change.audit);
  const row = prepared(db, "SELECT * FROM articles WHERE id = ?").get(change.articleId);
  return { ok: true, article: toArticle(sqliteTime, row as unknown as ArticleRow) };
}
