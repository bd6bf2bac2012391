/**
 * `/admin/articles`: the form (new and existing) and its actions, beside the
 * list (`article-list-route.ts`), the preview and the revisions. The article
 * service decides everything (roles, states, validation, conflicts); these
 * routes show its answers through the form's pages (`article-form-page.ts`).
 */
import type { Context, Hono } from "hono";
import { storePictures } from "../articles/origin.ts";
import { createArticleService } from "../articles/service.ts";
import type { ArticleOutcome, ArticleService } from "../articles/types.ts";
import { emptyValues } from "../pages/article-form.ts";
import { ACTION_NOTICES } from "../pages/article-labels.ts";
import { ARTICLE_PATHS } from "../pages/index.ts";
import { articleFormPages } from "./article-form-page.ts";
import { articleListRoute } from "./article-list-route.ts";
import { actorOf, articleForm } from "./article-view.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { livePreviewRoute } from "./preview-routes.ts";
import { refuse } from "./respond.ts";
import { revisionRoutes } from "./revision-routes.ts";

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
  const { form, existing, failed } = articleFormPages(deps, service);
  livePreviewRoute(app, deps);
  revisionRoutes(app, deps, service);
  articleListRoute(app, deps, service);

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

  function done(c: Context<NewsroomEnv>, id: string, action: string): Response {
    return c.redirect(`${ARTICLE_PATHS.edit(id)}?${new URLSearchParams({ [DONE]: action })}`, 303);
  }
}
