/**
 * Who is looking, for the navigation every staff page shows: the session's
 * roles, and for an editor the number of articles waiting for review. Set
 * once per request after the guard, so the page renderers get it without
 * each route asking the store.
 */
import type { MiddlewareHandler } from "hono";
import type { Viewer } from "../pages/index.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { hasRole } from "./roles.ts";

/** Middleware: sets `viewer`. One indexed count, only where a page is drawn for an editor. */
export function viewerOf(deps: Pick<NewsroomDeps, "store">): MiddlewareHandler<NewsroomEnv> {
  return async (c, next) => {
    const { roles } = c.get("session");
    const viewer: Viewer = { roles };
    // A POST answers with a redirect; a refusal page drawn for one goes without the count.
    if ((c.req.method === "GET" || c.req.method === "HEAD") && hasRole(roles, ["editor"])) {
      viewer.submitted = await deps.store.countArticles("submitted");
    }
    c.set("viewer", viewer);
    await next();
  };
}
