/**
 * `/admin/`: the newsroom's first page, by role (`pages/dashboard.ts`). Every
 * number is one indexed count; the lists are the newest few of each.
 */
import type { Context, Hono } from "hono";
import type { ArticleState } from "../../storage/articles.ts";
import {
  COMMENT_START_CHARS,
  CURSOR_PARAM,
  type DashboardArticle,
  type DashboardList,
  NEWSROOM_PATHS,
  renderDashboard,
} from "../pages/index.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { NOTICE_PARAM, noticeOf } from "./respond.ts";
import { mayAct } from "./roles.ts";
import { articleTitles } from "./titles.ts";

/** Articles listed under each count. */
export const DASHBOARD_LIST_SIZE = 5;

/** How far back a failing delivery still counts as news. */
const FAILING_WINDOW_MS = 7 * 86_400_000;

/** Registers the first page. */
export function dashboardRoutes(app: Hono<NewsroomEnv>, deps: NewsroomDeps): void {
  const { store } = deps;

  /** The newest few articles in `state` (of `owner`, when given), and how many in all. */
  const listOf = async (
    state: ArticleState,
    owner: string | undefined,
    comments = false,
  ): Promise<DashboardList> => {
    const { items, total } = await store.listArticles({
      state,
      owner,
      offset: 0,
      limit: DASHBOARD_LIST_SIZE,
    });
    const rows = await Promise.all(
      items.map(async (a): Promise<DashboardArticle> => {
        const row: DashboardArticle = { id: a.id, title: a.title, changed: a.updatedAt };
        if (owner === undefined) row.by = a.owner;
        if (comments) {
          // Newest first: the comment of the last return, as the form shows it.
          const revisions = await store.listRevisions(a.id);
          const comment = revisions.find((r) => r.returnComment !== null)?.returnComment;
          if (comment) row.comment = startOf(comment);
        }
        return row;
      }),
    );
    return { total, items: rows };
  };

  app.get(NEWSROOM_PATHS.home, async (c: Context<NewsroomEnv>) => {
    // The queue lived here before this page: its old page links still reach it.
    if (c.req.query(CURSOR_PARAM) !== undefined || c.req.query(NOTICE_PARAM) !== undefined) {
      const query = new URL(c.req.url).search;
      return c.redirect(`${NEWSROOM_PATHS.queue}${query}`, 308);
    }
    const session = c.get("session");
    const editor = mayAct(c, "editor");
    const writes = mayAct(c, "writer", "editor");
    const [review, moderation, own] = await Promise.all([
      editor ? listOf("submitted", undefined) : undefined,
      mayAct(c, "moderator")
        ? Promise.all([
            store.countByState("pending", ["reply"]),
            store.countFailingDeliveries(new Date(deps.clock().getTime() - FAILING_WINDOW_MS)),
            store.listInteractions({
              kind: "reply",
              state: "pending",
              order: "desc",
              cursor: null,
              limit: DASHBOARD_LIST_SIZE,
            }),
          ]).then(([heldReplies, failingDeliveries, held]) => {
            deps.avatars?.want(held.items.map((r) => r.author.avatarUrl));
            return {
              heldReplies,
              failingDeliveries,
              held: held.items,
              urls: deps.urls,
              articleTitles: articleTitles(deps.content),
            };
          })
        : undefined,
      writes
        ? Promise.all([
            listOf("draft", session.username),
            listOf("returned", session.username, true),
            listOf("submitted", session.username),
          ]).then(([drafts, returned, submitted]) => ({ drafts, returned, submitted }))
        : undefined,
    ]);
    return c.html(
      renderDashboard({
        site: deps.content.current().site,
        csrfToken: session.csrfToken,
        viewer: c.get("viewer"),
        notice: noticeOf(c),
        timeZone: deps.content.current().site.timezone,
        ...(review ? { review } : {}),
        ...(moderation ? { moderation } : {}),
        ...(own ? { own } : {}),
      }),
    );
  });
}

/** The first words of a comment, cut at a word where one is near. */
function startOf(comment: string): string {
  const flat = comment.replace(/\s+/g, " ").trim();
  if (flat.length <= COMMENT_START_CHARS) return flat;
  const cut = flat.slice(0, COMMENT_START_CHARS);
  const space = cut.lastIndexOf(" ");
  return `${space > COMMENT_START_CHARS / 2 ? cut.slice(0, space) : cut}…`;
}
