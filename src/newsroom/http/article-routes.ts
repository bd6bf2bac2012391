/**
 * `/admin/articles`: the list, the form (new and existing) and its actions.
 * The article service decides everything (roles, states, validation,
 * conflicts); these routes show its answers: a refusal by role is a 403
 * page, a form error comes back beside its field with the form as sent,
 * and a conflicting save keeps the member's text and says what happened.
 */
import type { Context, Hono } from "hono";
import { ARTICLE_STATES } from "../../storage/articles.ts";
import { storePictures } from "../articles/origin.ts";
import { slugFixed } from "../articles/rules.ts";
import { createArticleService } from "../articles/service.ts";
import {
  type ArticleFailure,
  type ArticleListItem,
  type ArticleOutcome,
  type ArticleService,
  type ArticleState,
  failureStatus,
} from "../articles/types.ts";
import { type ArticleFormInput, emptyValues, renderArticleForm } from "../pages/article-form.ts";
import { ACTION_NOTICES, type ArticleAction } from "../pages/article-labels.ts";
import { type ArticleListRow, renderArticleList } from "../pages/article-list.ts";
import { ARTICLE_PATHS, CURSOR_PARAM, EDITOR_CSP } from "../pages/index.ts";
import {
  actorOf,
  articleForm,
  historyOf,
  libraryPictures,
  revisionValues,
  sentValues,
} from "./article-view.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { livePreviewRoute } from "./preview-routes.ts";
import { refuse } from "./respond.ts";
import { revisionRoutes } from "./revision-routes.ts";

/** Rows on one page of the list. */
export const ARTICLES_PAGE_SIZE = 20;

/** The query parameter naming the action just done (a key, never text from the request). */
const DONE = "done";

/** The service the routes call: the server's, or one on the newsroom's store. */
export function articleServiceOf(deps: NewsroomDeps): ArticleService {
  return (
    deps.articles ??
    createArticleService({
      store: deps.store,
      clock: deps.clock,
      content: deps.content,
      pictures: storePictures(deps.store, deps.urls),
    })
  );
}

/** Registers every `/admin/articles` route. */
export function articleRoutes(app: Hono<NewsroomEnv>, deps: NewsroomDeps): void {
  const service = articleServiceOf(deps);
  const site = () => deps.content.current().site;
  livePreviewRoute(app, deps);
  revisionRoutes(app, deps, service);

  app.get(ARTICLE_PATHS.list, async (c) => {
    const stateParam = c.req.query("state") ?? "";
    const state = (ARTICLE_STATES as readonly string[]).includes(stateParam)
      ? (stateParam as ArticleState)
      : undefined;
    const query = (c.req.query("q") ?? "").slice(0, 200);
    const page = Math.max(
      1,
      Math.min(10_000, Number.parseInt(c.req.query(CURSOR_PARAM) ?? "1", 10) || 1),
    );
    const list = await service.list(actorOf(c), {
      ...(state ? { state } : {}),
      ...(query.trim() ? { q: query.trim() } : {}),
      page,
      perPage: ARTICLES_PAGE_SIZE,
    });
    const roles = c.get("session").roles;
    return c.html(
      renderArticleList({
        site: site(),
        csrfToken: c.get("session").csrfToken,
        viewer: c.get("viewer"),
        rows: list.items.map((item) => rowOf(item, deps)),
        ...(state ? { state } : {}),
        query,
        ...(list.page * list.perPage < list.total ? { next: String(list.page + 1) } : {}),
        timeZone: site().timezone,
        canWrite: roles.some((r) => r === "writer" || r === "editor" || r === "admin"),
      }),
    );
  });

  app.get(ARTICLE_PATHS.create, async (c) => {
    const actor = actorOf(c);
    return await form(c, {
      values: emptyValues(site().language),
      actions: actor.roles.some((r) => r === "editor" || r === "admin")
        ? ["save", "submit", "publish"]
        : ["save", "submit"],
    });
  });

  app.post(ARTICLE_PATHS.create, async (c) => {
    const actor = actorOf(c);
    const posted = c.get("form");
    const action = posted.action ?? "save";
    if (action !== "save" && action !== "submit" && action !== "publish") {
      return refuse(
        c,
        deps,
        400,
        "Bài mới chỉ có thể được lưu, gửi duyệt hoặc đăng.",
        c.get("session").csrfToken,
      );
    }
    const created = await service.create(actor, articleForm(posted));
    if (!created.ok) return await failed(c, created.failure, undefined);
    const { article, latest } = created.article;
    const outcome =
      action === "save"
        ? created
        : action === "submit"
          ? await service.submit(actor, article.id, latest.number)
          : await service.publish(actor, article.id, latest.number);
    if (!outcome.ok) return await failed(c, outcome.failure, article.id);
    return done(c, article.id, action);
  });

  app.get(`${ARTICLE_PATHS.list}/:id`, async (c) => {
    const id = c.req.param("id");
    const outcome = await service.get(actorOf(c), id);
    if (!outcome.ok) return await failed(c, outcome.failure, id);
    const doneKey = c.req.query(DONE) ?? "";
    return await form(c, {
      ...(await existing(outcome, c)),
      ...(Object.hasOwn(ACTION_NOTICES, doneKey)
        ? { notice: ACTION_NOTICES[doneKey as keyof typeof ACTION_NOTICES] }
        : {}),
    });
  });

  app.post(`${ARTICLE_PATHS.list}/:id`, async (c) => {
    const id = c.req.param("id");
    const actor = actorOf(c);
    const posted = c.get("form");
    const revision = Number(posted.revision);
    if (!Number.isSafeInteger(revision) || revision < 1) {
      return refuse(
        c,
        deps,
        400,
        "Biểu mẫu thiếu số phiên bản: xin tải lại trang bài viết.",
        c.get("session").csrfToken,
      );
    }
    const fields = articleForm(posted);
    const action = posted.action ?? "save";
    let outcome: ArticleOutcome;
    switch (action) {
      case "save":
        outcome = await service.save(actor, id, revision, fields);
        break;
      case "submit":
        outcome = await service.submit(actor, id, revision, fields);
        break;
      case "publish":
        outcome = await service.publish(actor, id, revision, fields);
        break;
      case "unschedule":
        outcome = await service.unschedule(actor, id, revision);
        break;
      case "return":
        outcome = await service.returnToWriter(actor, id, revision, posted.comment ?? "");
        break;
      case "withdraw":
        outcome = await service.withdraw(actor, id, revision);
        break;
      case "republish":
        outcome = await service.republish(actor, id, revision);
        break;
      default:
        return refuse(c, deps, 400, "Không có thao tác này.", c.get("session").csrfToken);
    }
    if (!outcome.ok) return await failed(c, outcome.failure, id);
    return done(c, id, action);
  });

  /** The form page with this member's library; the editor's policy lets its scripts run. */
  async function form(
    c: Context<NewsroomEnv>,
    input: Omit<ArticleFormInput, "site" | "csrfToken" | "timeZone" | "pictures">,
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
  ): Promise<Omit<ArticleFormInput, "site" | "csrfToken" | "timeZone" | "pictures">> {
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

  function done(c: Context<NewsroomEnv>, id: string, action: string): Response {
    return c.redirect(`${ARTICLE_PATHS.edit(id)}?${new URLSearchParams({ [DONE]: action })}`, 303);
  }
}

/** The service's allowed actions that are the form's buttons. */
function formActions(allowed: readonly string[]): ArticleAction[] {
  const buttons: readonly ArticleAction[] = [
    "save",
    "submit",
    "publish",
    "unschedule",
    "return",
    "withdraw",
    "republish",
  ];
  return buttons.filter((b) => allowed.includes(b));
}

function rowOf(item: ArticleListItem, deps: NewsroomDeps): ArticleListRow {
  if (item.origin === "file") {
    return {
      title: item.title,
      state: "file",
      file: item.file,
      changed: item.published,
      publicUrl: deps.urls.article(item.slug),
    };
  }
  return {
    id: item.id,
    title: item.title,
    state: item.state,
    changed: item.updatedAt,
    by: item.owner,
    ...(item.state === "published" ? { publicUrl: deps.urls.article(item.slug) } : {}),
  };
}
