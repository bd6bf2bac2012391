/** The moderation queue: pending replies, newest first, and the decisions on them. */
import { getLogger } from "@logtape/logtape";
import type { Context, Hono } from "hono";
import type { Moderation } from "../../moderation/service.ts";
import type { ModerationState } from "../../storage/interactions.ts";
import { CURSOR_PARAM, NEWSROOM_PATHS, renderQueue } from "../pages/index.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { clientAddress, type Notice, noticeOf, refuse, seeOther } from "./respond.ts";
import { articleTitles } from "./titles.ts";

const logger = getLogger(["loa", "web", "newsroom"]);

/** Replies on one page of the queue. */
export const QUEUE_PAGE_SIZE = 20;

/** Registers the queue page and the approve and reject actions. */
export function queueRoutes(
  app: Hono<NewsroomEnv>,
  deps: NewsroomDeps,
  moderation: Pick<Moderation, "decide">,
): void {
  const { store } = deps;

  app.get(NEWSROOM_PATHS.queue, async (c) => {
    const [page, total] = await Promise.all([
      store.listInteractions({
        kind: "reply",
        state: "pending",
        order: "desc",
        cursor: c.req.query(CURSOR_PARAM) ?? null,
        limit: QUEUE_PAGE_SIZE,
      }),
      store.countByState("pending", ["reply"]),
    ]);
    deps.avatars?.want(page.items.map((r) => r.author.avatarUrl));
    return c.html(
      renderQueue({
        site: deps.content.current().site,
        urls: deps.urls,
        csrfToken: c.get("session").csrfToken,
        viewer: c.get("viewer"),
        notice: noticeOf(c),
        pending: page.items,
        articleTitles: articleTitles(deps.content),
        total,
        next: page.next ?? undefined,
      }),
    );
  });

  const decide = (state: ModerationState, done: Notice) => async (c: Context<NewsroomEnv>) => {
    const session = c.get("session");
    const id = c.get("form").id ?? "";
    const reply =
      id === ""
        ? null
        : await moderation.decide(id, state, {
            username: session.username,
            address: clientAddress(c),
          });
    if (reply === null) {
      return refuse(
        c,
        deps,
        400,
        "Không có phản hồi này (có thể người viết đã xoá nó). Không có gì thay đổi.",
        session.csrfToken,
      );
    }
    logger.info("Staff {username} set reply {id} to {state}", {
      username: session.username,
      id: reply.id,
      state,
    });
    return seeOther(c, NEWSROOM_PATHS.queue, done);
  };

  app.post(NEWSROOM_PATHS.approve, decide("approved", "approved"));
  app.post(NEWSROOM_PATHS.reject, decide("rejected", "rejected"));
}
