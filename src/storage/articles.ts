/**
 * Articles written in the newsroom and every revision of them. Part of
 * {@link Store}, so every web process sees the same articles on PostgreSQL.
 *
 * The store knows no rules: the newsroom's article service decides what an
 * action does and hands the store one {@link ArticleChange}, which is applied
 * atomically (the revision, the article's new state, the change counter and
 * the audit row commit together or not at all) and only if the article's
 * latest revision is still the one the change was computed from.
 */
import type { AuditEntry } from "./audit.ts";

export const ARTICLE_STATES = [
  "draft",
  "submitted",
  "returned",
  "scheduled",
  "published",
  "withdrawn",
] as const;
export type ArticleState = (typeof ARTICLE_STATES)[number];

/** What a revision says: the contract's form fields, parsed and checked. */
export interface ArticleFields {
  title: string;
  /** Empty when none. */
  summary: string;
  /** Markdown (a little HTML allowed; sanitized when rendered). */
  body: string;
  tags: string[];
  /** Authors' names as shown (the form's comma-separated `author`). */
  authors: string[];
  /** BCP 47; empty means the site's language. */
  language: string;
  /** The publication time; null until set (a draft may have none). */
  published: Date | null;
  slug: string;
  pinned: boolean;
  /** A picture id from the media store, or null. */
  imageId: string | null;
  /** The picture's alt text for this article; empty without a picture. */
  imageAlt: string;
}

/** One saved state of an article: who saved it, and who moved it along. */
export interface ArticleRevision extends ArticleFields {
  articleId: string;
  /** 1, 2, 3… per article. */
  number: number;
  savedBy: string;
  savedAt: Date;
  submittedBy: string | null;
  submittedAt: Date | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  publishedBy: string | null;
  publishedAt: Date | null;
  returnedBy: string | null;
  returnedAt: Date | null;
  /** The editor's comment when this revision was returned to its writer. */
  returnComment: string | null;
  /** The revision this one restores, when it was made by `restore`. */
  restoredFrom: number | null;
}

/** An article: its identity, state and which revision readers see. */
export interface StoredArticle {
  /** Opaque (a UUID); the editor's URL is `/admin/articles/{id}`. */
  id: string;
  /** The latest revision's slug; fixed once the article has been published. */
  slug: string;
  state: ArticleState;
  /** The writer who created it (a writer may edit only their own). */
  owner: string;
  createdAt: Date;
  updatedAt: Date;
  /** The newest revision's number. */
  latestRevision: number;
  /** The revision readers see (published or scheduled), or null. */
  publishedRevision: number | null;
  /** When it was first published (its slug is fixed from then on). */
  firstPublishedAt: Date | null;
  /** The latest revision's title (for lists). */
  title: string;
}

/** An article with the revision readers see: what the content source serves. */
export interface PublishedArticle {
  article: StoredArticle;
  revision: ArticleRevision;
  /**
   * The first revision ever published: a later one published is an edit (the
   * Note's `updated`). Unscheduling clears a revision's publication marks.
   */
  firstPublishedNumber: number;
}

/**
 * What a published article shows besides its published revision's text
 * (revisions never change but for their marks): enough for a reader of
 * {@link ArticleStore.listPublishedMarks} to tell whether what it made from
 * the article before still holds, without reading every body again.
 */
export interface PublishedMarks {
  id: string;
  slug: string;
  firstPublishedAt: Date | null;
  /** The published revision's number. */
  revision: number;
  /** The revision's `published` (a scheduled time, or null). */
  published: Date | null;
  publishedAt: Date | null;
  firstPublishedNumber: number;
  imageId: string | null;
}

/** Marks set on an existing revision by an action (submit, approve, return…). */
export type RevisionMarks = Partial<
  Pick<
    ArticleRevision,
    | "submittedBy"
    | "submittedAt"
    | "approvedBy"
    | "approvedAt"
    | "publishedBy"
    | "publishedAt"
    | "returnedBy"
    | "returnedAt"
    | "returnComment"
  >
>;

/** The audit-trail record written in the same transaction as the change. */
export type ArticleAudit = AuditEntry;

/**
 * One action, applied atomically by {@link ArticleStore.applyArticleChange}.
 * For a new article, `create` is set and `expectedLatest` is 0.
 */
export interface ArticleChange {
  articleId: string;
  /** Present only when the article is created by this change. */
  create?: { owner: string; createdAt: Date };
  /**
   * The article's latest revision number the change was computed from; the
   * change is refused (nothing written) when the article has moved on.
   */
  expectedLatest: number;
  /** A new revision (numbered latest + 1) with these fields, saved by `savedBy`. */
  revision?: {
    fields: ArticleFields;
    savedBy: string;
    savedAt: Date;
    restoredFrom?: number | null;
  };
  /** Marks on the revision numbered `number` (after `revision` is added, it may be the new one). */
  marks?: { number: number; set: RevisionMarks };
  /** The article's new values. */
  article: {
    state: ArticleState;
    updatedAt: Date;
    /** undefined: unchanged; null: none. */
    publishedRevision?: number | null;
    firstPublishedAt?: Date | null;
  };
  audit: ArticleAudit;
}

export type ArticleChangeResult =
  | { ok: true; article: StoredArticle }
  /** The article's latest revision is not `expectedLatest`: nothing written. */
  | { ok: false; reason: "conflict"; latest: number }
  /** Another article holds the slug: nothing written. */
  | { ok: false; reason: "slug-taken"; slug: string }
  | { ok: false; reason: "not-found" };

export interface ArticleQuery {
  state?: ArticleState;
  /**
   * When set, `state` is the state shown at this time: a `scheduled` article
   * whose time has come is `published` (as `shownState` shows it), and no
   * longer `scheduled`.
   */
  shownAt?: Date;
  /** Case-insensitive substring of the title. */
  title?: string;
  /** Only articles owned by this writer. */
  owner?: string;
  offset: number;
  limit: number;
}

export interface ArticleStore {
  /** Applies one article action atomically (see {@link ArticleChange}). */
  applyArticleChange(change: ArticleChange): Promise<ArticleChangeResult>;
  getArticle(id: string): Promise<StoredArticle | null>;
  getArticleBySlug(slug: string): Promise<StoredArticle | null>;
  /** Newest `updatedAt` first, then id. */
  listArticles(query: ArticleQuery): Promise<{ items: StoredArticle[]; total: number }>;
  /** Articles by state (the editors' queue count, the newsroom's first page). */
  countArticles(state: ArticleState, owner?: string): Promise<number>;
  getRevision(articleId: string, number: number): Promise<ArticleRevision | null>;
  /** Every revision of the article, newest first. */
  listRevisions(articleId: string): Promise<ArticleRevision[]>;
  /**
   * Articles with a published revision (`published` or `scheduled`), with that
   * revision; only those among `ids` when given (an id not published is left out).
   */
  listPublishedArticles(ids?: readonly string[]): Promise<PublishedArticle[]>;
  /**
   * The same articles as `listPublishedArticles()`, by id, without their
   * revisions' text: what a reload reads to find the few that changed.
   */
  listPublishedMarks(): Promise<PublishedMarks[]>;
  /**
   * A number that grows with every article change, in any process: a web
   * process polls it to learn, cheaply, that another one published.
   */
  articleChangeCounter(): Promise<number>;
}
