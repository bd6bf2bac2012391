/**
 * Row shapes shared by both backends' article stores: what a row holds, read
 * back into the store's types. Times are read by the backend's reader (`rows.ts`);
 * lists come as JSON text (SQLite) or arrays (PostgreSQL).
 */
import type {
  ArticleChange,
  ArticleChangeResult,
  ArticleRevision,
  ArticleState,
  PublishedMarks,
  StoredArticle,
} from "./articles.ts";
import { maybeTime, type ReadTime } from "./rows.ts";

type Json = string | string[];

export interface ArticleRow<T> {
  id: string;
  slug: string;
  state: string;
  owner: string;
  created_at: T;
  updated_at: T;
  latest_revision: number;
  published_revision: number | null;
  first_published_at: T | null;
  title: string;
}

export interface RevisionRow<T> {
  article_id: string;
  number: number;
  title: string;
  summary: string;
  body: string;
  tags: Json;
  authors: Json;
  language: string;
  published: T | null;
  slug: string;
  pinned: number | boolean;
  image_id: string | null;
  image_alt: string;
  saved_by: string;
  saved_at: T;
  submitted_by: string | null;
  submitted_at: T | null;
  approved_by: string | null;
  approved_at: T | null;
  published_by: string | null;
  published_at: T | null;
  returned_by: string | null;
  returned_at: T | null;
  return_comment: string | null;
  restored_from: number | null;
}

function list(value: Json): string[] {
  return typeof value === "string" ? (JSON.parse(value) as string[]) : value;
}

/** What title search compares: the title folded the same way as the query. */
export function titleKey(title: string): string {
  return title.normalize("NFC").toLocaleLowerCase("vi");
}

export function toArticle<T>(time: ReadTime<T>, row: ArticleRow<T>): StoredArticle {
  return {
    id: row.id,
    slug: row.slug,
    state: row.state as ArticleState,
    owner: row.owner,
    createdAt: time(row.created_at),
    updatedAt: time(row.updated_at),
    latestRevision: Number(row.latest_revision),
    publishedRevision: row.published_revision == null ? null : Number(row.published_revision),
    firstPublishedAt: maybeTime(time, row.first_published_at),
    title: row.title,
  };
}

export function toRevision<T>(time: ReadTime<T>, row: RevisionRow<T>): ArticleRevision {
  return {
    articleId: row.article_id,
    number: Number(row.number),
    title: row.title,
    summary: row.summary,
    body: row.body,
    tags: list(row.tags),
    authors: list(row.authors),
    language: row.language,
    published: maybeTime(time, row.published),
    slug: row.slug,
    pinned: row.pinned === true || row.pinned === 1 || Number(row.pinned) === 1,
    imageId: row.image_id,
    imageAlt: row.image_alt,
    savedBy: row.saved_by,
    savedAt: time(row.saved_at),
    submittedBy: row.submitted_by,
    submittedAt: maybeTime(time, row.submitted_at),
    approvedBy: row.approved_by,
    approvedAt: maybeTime(time, row.approved_at),
    publishedBy: row.published_by,
    publishedAt: maybeTime(time, row.published_at),
    returnedBy: row.returned_by,
    returnedAt: maybeTime(time, row.returned_at),
    returnComment: row.return_comment,
    restoredFrom: row.restored_from == null ? null : Number(row.restored_from),
  };
}

/** `listPublishedMarks`'s row: the article's columns and its published revision's marks. */
export interface MarksRow<T> {
  id: string;
  slug: string;
  first_published_at: T | null;
  number: number;
  published: T | null;
  published_at: T | null;
  image_id: string | null;
  first_number: number | null;
}

export function toMarks<T>(time: ReadTime<T>, row: MarksRow<T>): PublishedMarks {
  const revision = Number(row.number);
  return {
    id: row.id,
    slug: row.slug,
    firstPublishedAt: maybeTime(time, row.first_published_at),
    revision,
    published: maybeTime(time, row.published),
    publishedAt: maybeTime(time, row.published_at),
    firstPublishedNumber: Number(row.first_number ?? revision),
    imageId: row.image_id,
  };
}

/** Revision mark names → their columns. */
export const MARK_COLUMNS = {
  submittedBy: "submitted_by",
  submittedAt: "submitted_at",
  approvedBy: "approved_by",
  approvedAt: "approved_at",
  publishedBy: "published_by",
  publishedAt: "published_at",
  returnedBy: "returned_by",
  returnedAt: "returned_at",
  returnComment: "return_comment",
} as const;

/**
 * Whether `change` may be applied to the article as its row stands
 * (`undefined`: no such article), both backends' one rule: a create needs no
 * row, any other change a row, and either one the latest revision it was
 * computed from. The refusal, or the latest revision number to build on.
 */
export function changeBase<T>(
  current: ArticleRow<T> | undefined,
  change: ArticleChange,
): { refused: ArticleChangeResult } | { latest: number } {
  if (change.create && current !== undefined) {
    return { refused: { ok: false, reason: "conflict", latest: current.latest_revision } };
  }
  if (!change.create && current === undefined) {
    return { refused: { ok: false, reason: "not-found" } };
  }
  const latest = current ? Number(current.latest_revision) : 0;
  if (latest !== change.expectedLatest) {
    return { refused: { ok: false, reason: "conflict", latest } };
  }
  return { latest };
}
