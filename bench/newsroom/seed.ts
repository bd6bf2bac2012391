/**
 * Fills a fresh `DATA_DIR` with newsroom articles as if each had been written
 * and published there: the same text, tags and dates as the generated files
 * (`bench/harness/articles.ts`), so the two sides serve the same articles.
 *
 * One transaction of prepared inserts into the real SQLite schema (opened
 * and migrated by `openSqlite`): 10,000 articles through the article service,
 * one transaction and audit row each, would take minutes on a loaded machine.
 */
import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { titleKey } from "../../src/storage/article-rows.ts";
import { sqlitePath } from "../../src/storage/open.ts";
import { openSqlite, transaction } from "../../src/storage/sqlite/open.ts";
import { articleParts, slugOf } from "../harness/articles.ts";

/** Who "published" the seeded articles (an editor account need not exist for serving). */
const EDITOR = "bench-editor";

/**
 * Seeds `count` published articles, article `n` published `n × spacingHours`
 * before `newest`, slugs as the files' (`ban-tin-00001`…). Returns the slugs,
 * newest first.
 */
export async function seedNewsroom(
  dataDir: string,
  count: number,
  newest: Date = new Date(Date.UTC(2026, 0, 1)),
  spacingHours = 1,
): Promise<string[]> {
  await mkdir(dataDir, { recursive: true });
  const db = openSqlite(sqlitePath(dataDir));
  try {
    const insertArticle = db.prepare(
      `INSERT INTO articles (id, slug, state, owner, created_at, updated_at, latest_revision,
         published_revision, first_published_at, title, title_key)
       VALUES (?, ?, 'published', ?, ?, ?, 1, 1, ?, ?, ?)`,
    );
    const insertRevision = db.prepare(
      `INSERT INTO article_revisions (article_id, number, title, summary, body, tags, authors,
         language, published, slug, pinned, image_id, image_alt, saved_by, saved_at,
         approved_by, approved_at, published_by, published_at)
       VALUES (?, 1, ?, ?, ?, ?, ?, '', ?, ?, 0, NULL, '', ?, ?, ?, ?, ?, ?)`,
    );
    const slugs: string[] = [];
    transaction(db, () => {
      for (let n = 0; n < count; n++) {
        const id = randomUUID();
        const slug = slugOf(n);
        const at = newest.getTime() - n * spacingHours * 3_600_000;
        const p = articleParts(n);
        insertArticle.run(id, slug, EDITOR, at, at, at, p.title, titleKey(p.title));
        insertRevision.run(
          id,
          p.title,
          p.summary,
          p.body,
          JSON.stringify(p.tags),
          JSON.stringify([p.author]),
          at,
          slug,
          EDITOR,
          at,
          EDITOR,
          at,
          EDITOR,
          at,
        );
        slugs.push(slug);
      }
      db.prepare("UPDATE article_counter SET value = value + 1 WHERE id = 1").run();
    });
    return slugs;
  } finally {
    db.close();
  }
}
