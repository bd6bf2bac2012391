/**
 * `/admin/articles`: the list over both origins (newsroom articles and
 * files), filtered by state and a search, a page at a time.
 */
import type { Hono } from "hono";
import { ARTICLE_STATES } from "../../storage/articles.ts";
import type { ArticleListItem, ArticleService, ArticleState } from "../articles/types.ts";
import { type ArticleListRow, renderArticleList } from "../pages/article-list.ts";
import { ARTICLE_PATHS, CURSOR_PARAM } from "../pages/index.ts";
import { actorOf } from "./article-view.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";

/** Rows on one page of the list. */
export const ARTICLES_PAGE_SIZE = 20;

/** Registers the list of articles. */
export function articleListRoute(
  app: Hono<NewsroomEnv>,
  deps: NewsroomDeps,
  service: ArticleService,
): void {
  const site = () => deps.content.current().site;

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
