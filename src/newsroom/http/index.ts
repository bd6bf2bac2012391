/**
 * The newsroom at `/admin/`: the staff's login, first page, moderation queue,
 * mentions, followers, delivery status and blocks, articles and pictures, as
 * one Hono app that `createApp` mounts before the federation middleware
 * (Fedify's router is never asked for a staff page). Every path is in
 * `NEWSROOM_PATHS`.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createModeration } from "../../moderation/service.ts";
import { ARTICLE_PATHS, NEWSROOM_PATHS } from "../pages/index.ts";
import { articleRoutes } from "./article-routes.ts";
import { assetRoutes } from "./asset-routes.ts";
import { auditRoutes } from "./audit-routes.ts";
import { blockRoutes } from "./block-routes.ts";
import { cookieJar } from "./cookies.ts";
import { dashboardRoutes } from "./dashboard-routes.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { staffGuard } from "./guard.ts";
import { listRoutes } from "./list-routes.ts";
import { loginRoutes, logoutRoute } from "./login-routes.ts";
import { mediaRoutes, uploadLimit } from "./media-routes.ts";
import { passwordLinkRoutes } from "./password-link-routes.ts";
import { queueRoutes } from "./queue-routes.ts";
import { refuse, staffHeaders } from "./respond.ts";
import { requireRole } from "./roles.ts";
import { staffRoutes } from "./staff-routes.ts";
import { viewerOf } from "./viewer.ts";

export type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
export { hasRole, mayAct, requireRole } from "./roles.ts";

/** The largest form accepted: the newsroom's forms carry a token and a URL or two. */
export const FORM_MAX_BYTES = 16 * 1024;

/**
 * The largest article form: a long article's Markdown is a few tens of
 * kilobytes; a megabyte leaves room for tables pasted from a word processor.
 */
export const ARTICLE_FORM_MAX_BYTES = 1024 * 1024;

const tooLarge = (c: Context) => c.text("Request body too large", 413);
const smallForms = bodyLimit({ maxSize: FORM_MAX_BYTES, onError: tooLarge });
const articleForms = bodyLimit({ maxSize: ARTICLE_FORM_MAX_BYTES, onError: tooLarge });

const ALL = "/admin/*";
const READ: readonly string[] = [
  NEWSROOM_PATHS.home,
  NEWSROOM_PATHS.queue,
  NEWSROOM_PATHS.mentions,
  NEWSROOM_PATHS.followers,
  NEWSROOM_PATHS.deliveries,
  NEWSROOM_PATHS.blocks,
  NEWSROOM_PATHS.audit,
];
/** Paths that answer both GET (a page) and POST (its form). */
const READ_AND_POST: readonly string[] = [NEWSROOM_PATHS.login, NEWSROOM_PATHS.media];

/** The moderators' pages and actions: the town's replies, mentions, followers, deliveries and blocks. */
const MODERATION: readonly string[] = [
  ...READ.filter((path) => path !== NEWSROOM_PATHS.audit && path !== NEWSROOM_PATHS.home),
  NEWSROOM_PATHS.approve,
  NEWSROOM_PATHS.reject,
  NEWSROOM_PATHS.blockActor,
  NEWSROOM_PATHS.blockDomain,
  NEWSROOM_PATHS.unblock,
];

/** Builds the newsroom's routes (full paths under `/admin`; mount with `app.route("/", …)`). */
export function newsroomRoutes(deps: NewsroomDeps): Hono<NewsroomEnv> {
  const jar = cookieJar(deps.config.origin);
  const app = new Hono<NewsroomEnv>();
  app.use(ALL, staffHeaders());
  const pictureLimit = uploadLimit(deps, jar);
  app.post(ALL, (c, next) =>
    c.req.path === NEWSROOM_PATHS.media
      ? pictureLimit(c, next)
      : c.req.path.startsWith(`${ARTICLE_PATHS.list}/`)
        ? articleForms(c, next)
        : smallForms(c, next),
  );
  // The pages reachable without a session, registered before the guard.
  loginRoutes(app, deps, jar);
  passwordLinkRoutes(app, deps);
  assetRoutes(app);
  app.use(ALL, staffGuard(deps, jar));
  app.use(ALL, viewerOf(deps));
  logoutRoute(app, deps, jar);
  for (const path of MODERATION) app.use(path, requireRole("moderator"));
  // Pictures and articles are the writers' and editors' (an admin passes every guard).
  for (const path of [
    NEWSROOM_PATHS.media,
    `${NEWSROOM_PATHS.media}/*`,
    ARTICLE_PATHS.list,
    `${ARTICLE_PATHS.list}/*`,
  ]) {
    app.use(path, requireRole("writer", "editor"));
  }
  const moderation = createModeration({
    store: deps.store,
    changed: deps.conversations.changed,
    clock: deps.clock,
  });
  dashboardRoutes(app, deps);
  queueRoutes(app, deps, moderation);
  listRoutes(app, deps);
  blockRoutes(app, deps, moderation);
  articleRoutes(app, deps);
  mediaRoutes(app, deps);
  auditRoutes(app, deps);
  staffRoutes(app, deps);

  // Signed in, what is left is a path that does not exist or a method it does not take.
  app.all(ALL, (c) => {
    const path = c.req.path;
    if (path === "/admin") return c.redirect(NEWSROOM_PATHS.home, 308);
    const csrfToken = c.get("session").csrfToken;
    const known = READ.includes(path) || Object.values(NEWSROOM_PATHS).some((p) => p === path);
    if (known) {
      c.header(
        "Allow",
        READ_AND_POST.includes(path)
          ? "GET, HEAD, POST"
          : READ.includes(path)
            ? "GET, HEAD"
            : "POST",
      );
      return refuse(c, deps, 405, "Trang này không nhận yêu cầu kiểu này.", csrfToken);
    }
    return refuse(c, deps, 404, "Không có trang này trong tòa soạn.", csrfToken);
  });
  return app;
}
