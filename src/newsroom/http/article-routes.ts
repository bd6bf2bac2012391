/** The articles' pages and actions: the list, the form, its actions, preview and revisions. */
import type { Hono } from "hono";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { livePreviewRoute } from "./preview-routes.ts";

/** Registers every `/admin/articles` route. */
export function articleRoutes(app: Hono<NewsroomEnv>, deps: NewsroomDeps): void {
  livePreviewRoute(app, deps);
}
