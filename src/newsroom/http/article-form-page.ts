/**
 * The article form as the routes answer with it: new, as stored, or sent
 * back after a refusal. A form error comes back beside its field with the
 * form as sent, and a conflicting save keeps the member's text and says what
 * happened; a refusal by role or state is a page saying why.
 */
import type { Context } from "hono";
import { slugFixed } from "../articles/rules.ts";
import {
  type ArticleFailure,
  type ArticleOutcome,
  type ArticleService,
  failureStatus,
} from "../articles/types.ts";
import { type ArticleFormInput, renderArticleForm } from "../pages/article-form.ts";
import { ARTICLE_ACTIONS, type ArticleAction } from "../pages/article-labels.ts";
import { EDITOR_CSP } from "../pages/index.ts";
import { actorOf, historyOf, libraryPictures, revisionValues, sentValues } from "./article-view.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { refuse } from "./respond.ts";

/** What a route says about the form; the rest (site, token, time zone, pictures) is filled in. */
export type FormPageInput = Omit<ArticleFormInput, "site" | "csrfToken" | "timeZone" | "pictures">;

/** The form's responses for the routes, over the routes' service. */
export function articleFormPages(deps: NewsroomDeps, service: ArticleService) {
  const site = () => deps.content.current().site;

  /** The form page with this member's library; the editor's policy lets its scripts run. */
  async function form(
    c: Context<NewsroomEnv>,
    input: FormPageInput,
    status: 200 | 409 | 422 = 200,
  ): Promise<Response> {
    c.header("Content-Security-Policy", EDITOR_CSP);
    return c.html(
      renderArticleForm({
        ...input,
        site: site(),
        csrfToken: c.get("session").csrfToken,
        viewer: c.get("viewer"),
        timeZone: site().timezone,
        pictures: await libraryPictures(deps),
      }),
      status,
    );
  }

  /** An existing article's form as stored. */
  async function existing(
    outcome: Extract<ArticleOutcome, { ok: true }>,
    c: Context<NewsroomEnv>,
  ): Promise<FormPageInput> {
    const detail = outcome.article;
    const { article, latest } = detail;
    const revisions = await service.revisions(actorOf(c), article.id);
    const list = Array.isArray(revisions) ? revisions : [];
    const returnedRevision = list.find((r) => r.returnComment !== null && r.returnedBy !== null);
    return {
      id: article.id,
      state: detail.state,
      values: revisionValues(latest, detail.publishedLocal),
      actions: formActions(detail.allowed),
      ...(detail.state === "returned" &&
      detail.returnComment &&
      returnedRevision?.returnedBy &&
      returnedRevision.returnedAt
        ? {
            returned: {
              comment: detail.returnComment,
              by: returnedRevision.returnedBy,
              at: returnedRevision.returnedAt,
            },
          }
        : {}),
      history: historyOf(list),
      slugFixed: slugFixed(article, deps.clock()),
      ...(detail.state === "published" ? { publicUrl: deps.urls.article(article.slug) } : {}),
    };
  }

  /** A refusal: the form again (errors, conflicts) or a page saying why (roles, states). */
  async function failed(
    c: Context<NewsroomEnv>,
    failure: ArticleFailure,
    id: string | undefined,
  ): Promise<Response> {
    const csrf = c.get("session").csrfToken;
    if (failure.kind === "forbidden" || failure.kind === "not-found") {
      return refuse(c, deps, failureStatus(failure), failure.message, csrf);
    }
    const posted = c.get("form");
    const values = sentValues(posted, site().language);
    const base = id === undefined ? undefined : await service.get(actorOf(c), id);
    const stored = base?.ok ? await existing(base, c) : undefined;
    const actions = stored?.actions ?? ["save", "submit"];
    if (failure.kind === "invalid") {
      const { comment, ...fields } = failure.fields;
      return await form(
        c,
        { ...stored, values, actions, errors: { ...fields, ...(comment ? { comment } : {}) } },
        422,
      );
    }
    if (failure.kind === "conflict") {
      // The member's text stays in the form; saving again is a deliberate choice
      // made after reading this, and the other save stays in the revisions.
      return await form(
        c,
        {
          ...stored,
          values: { ...values, revision: String(failure.latest.number) },
          actions,
          errors: {
            form: `${failure.message} Nội dung bạn vừa viết vẫn còn nguyên bên dưới, chưa được lưu. Phiên bản ${failure.latest.number} do ${failure.latest.savedBy} lưu; xem ở trang "Các phiên bản". Bấm lưu lần nữa nếu muốn lưu nội dung của bạn thành phiên bản mới nhất.`,
          },
        },
        409,
      );
    }
    return refuse(c, deps, 409, failure.message, csrf);
  }

  return { form, existing, failed };
}

/** The service's allowed actions that are the form's buttons. */
function formActions(allowed: readonly string[]): ArticleAction[] {
  return ARTICLE_ACTIONS.filter((b) => allowed.includes(b));
}
