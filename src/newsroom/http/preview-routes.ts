/**
 * The live preview behind the article form: the draft as it stands in the
 * form, rendered by the public page's real template (`renderArticlePage`),
 * so what the writer sees while typing is what readers will get: the
 * page's `<article>`, cut from the rendered page (its head and stylesheet
 * are the public pages', not the newsroom's). Nothing is stored.
 */
import type { Hono } from "hono";
import { renderArticlePage } from "../../pages/article-page.ts";
import { ARTICLE_PATHS } from "../pages/index.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { draftArticle } from "./draft-article.ts";

/** Registers `POST /admin/articles/live-preview`. */
export function livePreviewRoute(app: Hono<NewsroomEnv>, deps: NewsroomDeps): void {
  app.post(ARTICLE_PATHS.livePreview, (c) => {
    const { site } = deps.content.current();
    const article = draftArticle(c.get("form"), {
      language: site.language,
      timeZone: site.timezone,
      now: deps.clock(),
      origin: deps.config.origin.origin,
    });
    const page = renderArticlePage({ site, article, urls: deps.urls });
    const start = page.indexOf("<article");
    const end = page.lastIndexOf("</article>");
    return c.html(start >= 0 && end > start ? page.slice(start, end + "</article>".length) : "");
  });
}
