/**
 * The newsroom's article service, as the editor's routes see it. Every rule
 * (who may do what, validation, conflicts, the slug fixed once published) is
 * enforced here; a route's guard is a first line, not the only one.
 */
import type { ArticleRevision, ArticleState, StoredArticle } from "../../storage/articles.ts";

export type {
  ArticleFields,
  ArticleRevision,
  ArticleState,
  StoredArticle,
} from "../../storage/articles.ts";

/** Roles as the `staff` helper defines them (`writer`, `editor`, `moderator`, `admin`). */
export type StaffRole = "writer" | "editor" | "moderator" | "admin";

/** Who acts: the session's account, its roles, and where the request came from. */
export interface Actor {
  username: string;
  roles: readonly StaffRole[];
  /** The client's address, for the audit trail. */
  address?: string | null;
}

/**
 * The form's fields as posted (strings; `pinned` is `"on"` when ticked, absent
 * otherwise). Known names: `title`, `summary`, `body`, `tags`, `author`,
 * `language`, `published` (`YYYY-MM-DDTHH:MM` in the site's timezone), `slug`,
 * `pinned`, `image`, `image_alt`. Pass only these (drop `csrf`, `action`,
 * `revision`, `comment`): any other name is refused as an unknown field.
 */
export type ArticleForm = Readonly<Record<string, string | undefined>>;

export const FORM_FIELDS = [
  "title",
  "summary",
  "body",
  "tags",
  "author",
  "language",
  "published",
  "slug",
  "pinned",
  "image",
  "image_alt",
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

/** The actions of the form's `action` button, and the revisions page's `restore`. */
export type ArticleAction =
  | "save"
  | "submit"
  | "publish"
  | "unschedule"
  | "return"
  | "withdraw"
  | "republish"
  | "restore";

/** Why an action was refused. Nothing was changed in any case. */
export type ArticleFailure =
  /** 403: the role may not do this (the attempt is in the audit trail). */
  | { kind: "forbidden"; message: string }
  /** 404 */
  | { kind: "not-found"; message: string }
  /** 422: one Vietnamese message per field at fault (`form` for one about the whole form). */
  | { kind: "invalid"; fields: Partial<Record<FormField | "form" | "comment", string>> }
  /**
   * 409: saved from an older revision than the latest. `latest` is what is
   * stored now, so the form can show both it and what the user sent.
   */
  | { kind: "conflict"; message: string; latest: ArticleRevision }
  /** 409: the action does not apply in the article's state (e.g. withdraw a draft). */
  | { kind: "state"; message: string };

/** What an action returns: the article after it, or why nothing happened. */
export type ArticleOutcome =
  | { ok: true; article: ArticleDetail }
  | { ok: false; failure: ArticleFailure };

/** HTTP status for a failure (what the editor's routes answer). */
export function failureStatus(failure: ArticleFailure): 403 | 404 | 409 | 422 {
  switch (failure.kind) {
    case "forbidden":
      return 403;
    case "not-found":
      return 404;
    case "invalid":
      return 422;
    default:
      return 409;
  }
}

/** The state shown to staff: `scheduled` becomes `published` once its time has come. */
export type ShownState = ArticleState;

/** An article with what the editor shows. */
export interface ArticleDetail {
  article: StoredArticle;
  /** The state as of now (a scheduled article whose time came is `published`). */
  state: ShownState;
  /** The newest revision: what the form edits. */
  latest: ArticleRevision;
  /** The revision readers see, or null. */
  published: ArticleRevision | null;
  /** The comment of the last `return`, shown beside the draft, or null. */
  returnComment: string | null;
  /** The form's `published` value for the latest revision (`YYYY-MM-DDTHH:MM`, site timezone). */
  publishedLocal: string;
  /** What this actor may do now (to show only the buttons that work). */
  allowed: ArticleAction[];
}

/** One row of `/admin/articles`: a newsroom article or a file article (read-only). */
export type ArticleListItem =
  | {
      origin: "newsroom";
      id: string;
      slug: string;
      title: string;
      state: ShownState;
      owner: string;
      updatedAt: Date;
      published: Date | null;
    }
  | {
      origin: "file";
      /** Relative path, e.g. `articles/foo.md`. */
      file: string;
      slug: string;
      title: string;
      /** `scheduled` when dated in the future. */
      state: "published" | "scheduled";
      published: Date;
      readOnly: true;
    };

export interface ArticleListQuery {
  state?: ArticleState;
  /** Title search (case-insensitive substring). */
  q?: string;
  /** 1-based. */
  page?: number;
  /** Default 20, at most 100. */
  perPage?: number;
}

export interface ArticleList {
  items: ArticleListItem[];
  page: number;
  perPage: number;
  total: number;
}

/** One line of a diff between two revisions. */
export interface DiffPart {
  /** Which field of the revision this part belongs to. */
  field: string;
  kind: "same" | "added" | "removed";
  text: string;
}

export interface RevisionDiff {
  from: ArticleRevision;
  to: ArticleRevision;
  /** Field by field, line by line (words for short fields); only changed fields. */
  parts: DiffPart[];
}

/** Each action carries the revision the form was loaded from (`revision`). */
export interface ArticleService {
  /** A new draft from the form (owner: the actor). */
  create(actor: Actor, form: ArticleForm): Promise<ArticleOutcome>;
  /** A new revision; the article keeps its state (a returned one stays returned, a published one stays online as it was). */
  save(actor: Actor, id: string, revision: number, form: ArticleForm): Promise<ArticleOutcome>;
  /** Saves the form (when given) and puts the article in the editors' queue. */
  submit(actor: Actor, id: string, revision: number, form?: ArticleForm): Promise<ArticleOutcome>;
  /**
   * Editors: saves the form (when given) and publishes the latest revision:
   * now, or `scheduled` when its `published` is in the future. On a published
   * article this publishes the edit (one `Update`).
   */
  publish(actor: Actor, id: string, revision: number, form?: ArticleForm): Promise<ArticleOutcome>;
  /** Editors: a scheduled article back to `submitted` (change the time with `publish`). */
  unschedule(actor: Actor, id: string, revision: number): Promise<ArticleOutcome>;
  /** Editors: back to its writer with a comment (required). */
  returnToWriter(
    actor: Actor,
    id: string,
    revision: number,
    comment: string,
  ): Promise<ArticleOutcome>;
  /** Editors: off every page and feed, one `Delete`; the page answers 410. */
  withdraw(actor: Actor, id: string, revision: number): Promise<ArticleOutcome>;
  /** Editors: a withdrawn article published again (it reaches followers again). */
  republish(actor: Actor, id: string, revision: number): Promise<ArticleOutcome>;
  /** Editors: a new revision equal to revision `from`. */
  restore(actor: Actor, id: string, revision: number, from: number): Promise<ArticleOutcome>;
  /** Newsroom and file articles together; a writer sees their own and the files. */
  list(actor: Actor, query: ArticleListQuery): Promise<ArticleList>;
  /** The article with what the actor may do, or a failure. */
  get(actor: Actor, id: string): Promise<ArticleOutcome>;
  /** Every revision, newest first. */
  revisions(actor: Actor, id: string): Promise<ArticleRevision[] | ArticleFailure>;
  /** A readable diff between revisions `a` and `b`. */
  diff(actor: Actor, id: string, a: number, b: number): Promise<RevisionDiff | ArticleFailure>;
  /** Submitted articles waiting for an editor (the navigation's count). */
  countSubmitted(): Promise<number>;
}
