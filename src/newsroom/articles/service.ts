/**
 * The article service the editor's routes call: role rules, validation,
 * conflicts and state changes, each applied by the store in one transaction
 * with its audit row. A refusal changes nothing and, when it was a role's
 * refusal, is itself audited.
 */
import { randomUUID } from "node:crypto";
import { getLogger } from "@logtape/logtape";
import type { Clock } from "../../clock.ts";
import type { ContentSource } from "../../content/types.ts";
import type { ArticleChange, ArticleFields, ArticleStore } from "../../storage/articles.ts";
import type { AuditDetailValue, AuditStore } from "../../storage/audit.ts";
import { auditEntries } from "./audit-entries.ts";
import { checkComment, formChecker, type PictureLookup } from "./form-check.ts";
import { type Notify, tell } from "./notices.ts";
import { readArticles } from "./read.ts";
import { isWriter, roleAllows, shownState, slugFixed, stateAllows } from "./rules.ts";
import type { Actor, ArticleAction, ArticleForm, ArticleOutcome, ArticleService } from "./types.ts";

const logger = getLogger(["loa", "newsroom", "articles"]);

export interface ArticleServiceDeps {
  store: ArticleStore & Pick<AuditStore, "appendAudit">;
  clock: Clock;
  /** File articles (their slugs are taken; they are listed read-only) and the site's timezone. */
  content: Pick<ContentSource, "current">;
  pictures: PictureLookup;
  /** Called after a change that alters what readers see, so every page shows it at once. */
  changed?: () => void;
  /** Told after a submit, return or publish (the review notices); never awaited by the action. */
  notify?: Notify;
}

/** What an action needs besides the article: the form, a comment, the revision to restore. */
interface ActionInput {
  form?: ArticleForm | undefined;
  comment?: string;
  from?: number;
}

/** Actions that change what readers see (the content source reloads at once). */
const PUBLIC: ReadonlySet<ArticleAction> = new Set([
  "publish",
  "unschedule",
  "withdraw",
  "republish",
]);

export function createArticleService(deps: ArticleServiceDeps): ArticleService {
  const reader = readArticles(deps);
  const checkForm = formChecker(deps);
  const { audit, deny } = auditEntries(deps);

  const commit = async (
    actor: Actor,
    change: ArticleChange,
    action: ArticleAction | "create",
  ): Promise<ArticleOutcome> => {
    const result = await deps.store.applyArticleChange(change);
    if (!result.ok) {
      if (result.reason === "slug-taken") {
        return {
          ok: false,
          failure: {
            kind: "invalid",
            fields: { slug: `Đường dẫn ${result.slug} đã thuộc về một bài khác.` },
          },
        };
      }
      if (result.reason === "not-found") return reader.notFound();
      const latest = await deps.store.getRevision(change.articleId, result.latest);
      if (!latest) return reader.notFound();
      logger.info("Refused {action} on {id} made from revision {from}; the latest is {latest}", {
        action,
        id: change.articleId,
        from: change.expectedLatest,
        latest: result.latest,
      });
      return {
        ok: false,
        failure: {
          kind: "conflict",
          message: `Bài đã được ${latest.savedBy} lưu lại (bản ${latest.number}) sau khi bạn mở nó; bản của bạn chưa được lưu. Hãy xem bản mới nhất rồi lưu lại.`,
          latest,
        },
      };
    }
    if (action !== "create" && PUBLIC.has(action)) deps.changed?.();
    if (action === "submit" || action === "return" || action === "publish") {
      tell(
        deps.notify,
        actor,
        action,
        result.article,
        change.marks?.set.returnComment ?? undefined,
      );
    }
    return { ok: true, article: await reader.detailOf(actor, result.article) };
  };

  const act = async (
    actor: Actor,
    action: ArticleAction,
    id: string,
    revision: number,
    input: ActionInput = {},
  ): Promise<ArticleOutcome> => {
    const article = await deps.store.getArticle(id);
    if (!article) return reader.notFound();
    if (!roleAllows(actor, action, article)) return deny(actor, action, id, "role");
    const now = deps.clock();
    const state = shownState(article, now);
    if (!stateAllows(actor, action, state)) {
      return {
        ok: false,
        failure: {
          kind: "state",
          message: `Không thể làm việc này với bài đang ở trạng thái ${state}.`,
        },
      };
    }
    const change: ArticleChange = {
      articleId: id,
      expectedLatest: revision,
      article: { state: article.state, updatedAt: now },
      audit: audit(actor, `article.${action}`, id, {}),
    };
    const detail: Record<string, AuditDetailValue> = {};
    let fields: ArticleFields | null = null;
    if (input.form) {
      const checked = await checkForm(input.form, id, article);
      if (!checked.ok) return checked;
      fields = checked.fields;
      change.revision = { fields, savedBy: actor.username, savedAt: now };
    }
    // The revision the action is about: the one saved with it, or the latest.
    const number = fields ? revision + 1 : revision;
    switch (action) {
      case "save":
        if (!fields) return reader.notFound();
        break;
      case "submit":
        change.article.state = "submitted";
        change.marks = { number, set: { submittedBy: actor.username, submittedAt: now } };
        break;
      case "publish": {
        const target = fields ?? (await deps.store.getRevision(id, revision));
        if (!target) return commit(actor, change, action); // the revision moved: a conflict
        const set = {
          approvedBy: actor.username,
          approvedAt: now,
          publishedBy: actor.username,
          publishedAt: now,
        };
        change.marks = { number, set };
        change.article.publishedRevision = number;
        if (slugFixed(article, now)) {
          // An edit of what readers see: it goes online now (one Update).
          change.article.state = "published";
        } else {
          const at = target.published ?? now;
          change.article.state = at.getTime() > now.getTime() ? "scheduled" : "published";
          change.article.firstPublishedAt = at;
        }
        detail.at =
          (change.article.firstPublishedAt ?? article.firstPublishedAt)?.toISOString() ?? null;
        break;
      }
      case "unschedule":
        change.article.state = "submitted";
        // Never seen by readers: not a publication (a later one is the first, not an edit).
        if (article.publishedRevision !== null) {
          change.marks = {
            number: article.publishedRevision,
            set: { publishedBy: null, publishedAt: null, approvedBy: null, approvedAt: null },
          };
        }
        change.article.publishedRevision = null;
        change.article.firstPublishedAt = null;
        break;
      case "return": {
        const checked = checkComment(input.comment);
        if (!checked.ok) return checked;
        change.article.state = "returned";
        change.marks = {
          number,
          set: { returnedBy: actor.username, returnedAt: now, returnComment: checked.comment },
        };
        break;
      }
      case "withdraw":
        change.article.state = "withdrawn";
        break;
      case "republish":
        change.article.state = "published";
        break;
      case "restore": {
        const from = input.from === undefined ? null : await deps.store.getRevision(id, input.from);
        if (!from) return reader.notFound();
        const restored: ArticleFields = {
          title: from.title,
          summary: from.summary,
          body: from.body,
          tags: from.tags,
          authors: from.authors,
          language: from.language,
          published: from.published,
          // The URL of a published article never changes, whatever an old revision said.
          slug: slugFixed(article, now) ? article.slug : from.slug,
          pinned: from.pinned,
          imageId: from.imageId,
          imageAlt: from.imageAlt,
        };
        change.revision = {
          fields: restored,
          savedBy: actor.username,
          savedAt: now,
          restoredFrom: from.number,
        };
        detail.from = from.number;
        break;
      }
    }
    change.audit = {
      ...change.audit,
      detail: {
        ...detail,
        revision: change.revision ? revision + 1 : number,
        state: change.article.state,
      },
    };
    return commit(actor, change, action);
  };

  return {
    async create(actor, form) {
      const id = randomUUID();
      if (!isWriter(actor)) return deny(actor, "create", id, "role");
      const checked = await checkForm(form, id, null);
      if (!checked.ok) return checked;
      const now = deps.clock();
      return commit(
        actor,
        {
          articleId: id,
          create: { owner: actor.username, createdAt: now },
          expectedLatest: 0,
          revision: { fields: checked.fields, savedBy: actor.username, savedAt: now },
          article: { state: "draft", updatedAt: now },
          audit: audit(actor, "article.create", id, { revision: 1, state: "draft" }),
        },
        "create",
      );
    },
    save: (actor, id, revision, form) => act(actor, "save", id, revision, { form }),
    submit: (actor, id, revision, form) => act(actor, "submit", id, revision, { form }),
    publish: (actor, id, revision, form) => act(actor, "publish", id, revision, { form }),
    unschedule: (actor, id, revision) => act(actor, "unschedule", id, revision),
    returnToWriter: (actor, id, revision, comment) =>
      act(actor, "return", id, revision, { comment }),
    withdraw: (actor, id, revision) => act(actor, "withdraw", id, revision),
    republish: (actor, id, revision) => act(actor, "republish", id, revision),
    restore: (actor, id, revision, from) => act(actor, "restore", id, revision, { from }),
    list: reader.list,
    get: async (actor, id) => {
      const outcome = await reader.get(actor, id);
      if (!outcome.ok && outcome.failure.kind === "forbidden")
        return deny(actor, "view", id, "not theirs");
      return outcome;
    },
    revisions: reader.revisions,
    diff: reader.diff,
    countSubmitted: () => deps.store.countArticles("submitted"),
  };
}
