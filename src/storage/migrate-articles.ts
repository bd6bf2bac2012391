/**
 * `migrate-to-postgres` for newsroom articles: every article and revision
 * copied with its numbers and marks. Idempotent (a second run overwrites
 * with the same rows), and the change counter moves so web processes reload.
 */
import type { DatabaseSync } from "node:sqlite";
import type { Sql } from "postgres";
import type { ArticleRow, RevisionRow } from "./article-rows.ts";

const time = (v: unknown): Date | null => (v == null ? null : new Date(Number(v)));

export async function copyArticles(db: DatabaseSync, sql: Sql): Promise<number> {
  const articles = db.prepare("SELECT * FROM articles").all() as unknown as (ArticleRow<number> & {
    title_key: string;
  })[];
  for (const a of articles) {
    await sql`
      INSERT INTO articles (id, slug, state, owner, created_at, updated_at, latest_revision,
        published_revision, first_published_at, title, title_key)
      VALUES (${a.id}, ${a.slug}, ${a.state}, ${a.owner}, ${time(a.created_at)},
        ${time(a.updated_at)}, ${a.latest_revision}, ${a.published_revision},
        ${time(a.first_published_at)}, ${a.title}, ${a.title_key})
      ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, state = excluded.state,
        updated_at = excluded.updated_at, latest_revision = excluded.latest_revision,
        published_revision = excluded.published_revision,
        first_published_at = excluded.first_published_at, title = excluded.title,
        title_key = excluded.title_key`;
  }
  const revisions = db
    .prepare("SELECT * FROM article_revisions")
    .all() as unknown as RevisionRow<number>[];
  for (const r of revisions) {
    await sql`
      INSERT INTO article_revisions (article_id, number, title, summary, body, tags, authors,
        language, published, slug, pinned, image_id, image_alt, saved_by, saved_at,
        submitted_by, submitted_at, approved_by, approved_at, published_by, published_at,
        returned_by, returned_at, return_comment, restored_from)
      VALUES (${r.article_id}, ${r.number}, ${r.title}, ${r.summary}, ${r.body},
        ${sql.json(JSON.parse(String(r.tags)))}, ${sql.json(JSON.parse(String(r.authors)))},
        ${r.language}, ${time(r.published)}, ${r.slug}, ${Number(r.pinned) === 1},
        ${r.image_id}, ${r.image_alt}, ${r.saved_by}, ${time(r.saved_at)},
        ${r.submitted_by}, ${time(r.submitted_at)}, ${r.approved_by}, ${time(r.approved_at)},
        ${r.published_by}, ${time(r.published_at)}, ${r.returned_by}, ${time(r.returned_at)},
        ${r.return_comment}, ${r.restored_from})
      ON CONFLICT (article_id, number) DO UPDATE SET
        submitted_by = excluded.submitted_by, submitted_at = excluded.submitted_at,
        approved_by = excluded.approved_by, approved_at = excluded.approved_at,
        published_by = excluded.published_by, published_at = excluded.published_at,
        returned_by = excluded.returned_by, returned_at = excluded.returned_at,
        return_comment = excluded.return_comment`;
  }
  await sql`UPDATE article_counter SET value = value + 1 WHERE id = 1`;
  return articles.length;
}
