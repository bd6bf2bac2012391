import type { DatabaseSync } from "node:sqlite";
import {
  type ArticleRow as ArticleRowOf,
  type MarksRow,
  type RevisionRow as RevisionRowOf,
  titleKey,
  toArticle as toArticleOf,
  toMarks,
  toRevision as toRevisionOf,
} from "../article-rows.ts";
import type { ArticleStore } from "../articles.ts";
import { type SqliteTime, sqliteTime } from "../rows.ts";
import { applyChange } from "./article-change.ts";
import { prepared, transaction } from "./open.ts";

type ArticleRow = ArticleRowOf<SqliteTime>;
type RevisionRow = RevisionRowOf<SqliteTime>;
const toArticle = (row: ArticleRow) => toArticleOf(sqliteTime, row);
const toRevision = (row: RevisionRow) => toRevisionOf(sqliteTime, row);

type Value = string | number | null;

/** The article's columns as `listPublishedArticles` names them beside its revision's. */
interface PublishedArticleColumns {
  a_id: string;
  a_slug: string;
  a_state: string;
  a_owner: string;
  a_created_at: number;
  a_updated_at: number;
  a_latest_revision: number;
  a_published_revision: number | null;
  a_first_published_at: number | null;
  a_title: string;
  first_number: number | null;
}

/** Newsroom articles and their revisions on SQLite. */
export function sqliteArticles(db: DatabaseSync): ArticleStore {
  return {
    async applyArticleChange(change) {
      return transaction(db, () => applyChange(db, change));
    },

    async getArticle(id) {
      const row = prepared(db, "SELECT * FROM articles WHERE id = ?").get(id);
      return row === undefined ? null : toArticle(row as unknown as ArticleRow);
    },

    async getArticleBySlug(slug) {
      const row = prepared(db, "SELECT * FROM articles WHERE slug = ?").get(slug);
      return row === undefined ? null : toArticle(row as unknown as ArticleRow);
    },

    async listArticles(query) {
      const where: string[] = [];
      const params: Value[] = [];
      if (query.state && query.shownAt && query.state === "published") {
        where.push("(state = 'published' OR (state = 'scheduled' AND first_published_at <= ?))");
        params.push(query.shownAt.getTime());
      } else if (query.state && query.shownAt && query.state === "scheduled") {
        where.push(
          "state = 'scheduled' AND (first_published_at IS NULL OR first_published_at > ?)",
        );
        params.push(query.shownAt.getTime());
      } else if (query.state) {
        where.push("state = ?");
        params.push(query.state);
      }
      if (query.owner !== undefined) {
        where.push("owner = ?");
        params.push(query.owner);
      }
      if (query.title) {
        where.push("instr(title_key, ?) > 0");
        params.push(titleKey(query.title));
      }
      const clause = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
      const total = prepared(db, `SELECT count(*) AS n FROM articles ${clause}`).get(...params) as {
        n: number;
      };
      const rows = prepared(
        db,
        `SELECT * FROM articles ${clause} ORDER BY updated_at DESC, id LIMIT ? OFFSET ?`,
      ).all(...params, query.limit, query.offset);
      return {
        items: (rows as unknown as ArticleRow[]).map(toArticle),
        total: Number(total.n),
      };
    },

    async countArticles(state, owner) {
      const row = (
        owner === undefined
          ? prepared(db, "SELECT count(*) AS n FROM articles WHERE state = ?").get(state)
          : prepared(db, "SELECT count(*) AS n FROM articles WHERE state = ? AND owner = ?").get(
              state,
              owner,
            )
      ) as { n: number };
      return Number(row.n);
    },

    async getRevision(articleId, number) {
      const row = prepared(
        db,
        "SELECT * FROM article_revisions WHERE article_id = ? AND number = ?",
      ).get(articleId, number);
      return row === undefined ? null : toRevision(row as unknown as RevisionRow);
    },

    async listRevisions(articleId) {
      const rows = prepared(
        db,
        "SELECT * FROM article_revisions WHERE article_id = ? ORDER BY number DESC",
      ).all(articleId);
      return (rows as unknown as RevisionRow[]).map(toRevision);
    },

    async listPublishedArticles(ids) {
      // One pass: the article's columns beside its published revision's (a
      // second query over the articles cost as much again at 10,000 articles).
      // The ids come as one JSON parameter: a list of thousands would pass
      // SQLite's limit on parameters.
      const only = ids === undefined ? "" : "AND a.id IN (SELECT value FROM json_each(?))";
      const params = ids === undefined ? [] : [JSON.stringify(ids)];
      const rows = prepared(
        db,
        `SELECT a.id AS a_id, a.slug AS a_slug, a.state AS a_state, a.owner AS a_owner,
           a.created_at AS a_created_at, a.updated_at AS a_updated_at,
           a.latest_revision AS a_latest_revision, a.published_revision AS a_published_revision,
           a.first_published_at AS a_first_published_at, a.title AS a_title, r.*,
           (SELECT min(f.number) FROM article_revisions f
             WHERE f.article_id = a.id AND f.published_at IS NOT NULL) AS first_number
         FROM articles a
           JOIN article_revisions r ON r.article_id = a.id AND r.number = a.published_revision
         WHERE a.state IN ('published', 'scheduled') ${only} ORDER BY a.id`,
      ).all(...params) as unknown as (RevisionRow & PublishedArticleColumns)[];
      return rows.map((row) => {
        const revision = toRevision(row);
        const article = toArticle({
          id: row.a_id,
          slug: row.a_slug,
          state: row.a_state,
          owner: row.a_owner,
          created_at: row.a_created_at,
          updated_at: row.a_updated_at,
          latest_revision: row.a_latest_revision,
          published_revision: row.a_published_revision,
          first_published_at: row.a_first_published_at,
          title: row.a_title,
        });
        return {
          article,
          revision,
          firstPublishedNumber: Number(row.first_number ?? revision.number),
        };
      });
    },

    async listPublishedMarks() {
      const rows = prepared(
        db,
        `SELECT a.id, a.slug, a.first_published_at, r.number, r.published, r.published_at,
           r.image_id,
           (SELECT min(f.number) FROM article_revisions f
             WHERE f.article_id = a.id AND f.published_at IS NOT NULL) AS first_number
         FROM articles a
           JOIN article_revisions r ON r.article_id = a.id AND r.number = a.published_revision
         WHERE a.state IN ('published', 'scheduled') ORDER BY a.id`,
      ).all() as unknown as MarksRow<SqliteTime>[];
      return rows.map((row) => toMarks(sqliteTime, row));
    },

    async articleChangeCounter() {
      const row = prepared(db, "SELECT value FROM article_counter WHERE id = 1").get() as
        | { value: number }
        | undefined;
      return Number(row?.value ?? 0);
    },
  };
}
