/**
 * Blocks: an actor or a whole server. Blocking stops storing from it and
 * delivering to it (the store's `isBlocked`, asked by the inbox and the
 * fan-out), and removes what it already left here (the moderation service,
 * `moderation/service.ts`, which the queue and the inbox use too).
 */
import { getLogger } from "@logtape/logtape";
import type { Context, Hono } from "hono";
import type { Moderation } from "../../moderation/service.ts";
import type { BlockKind } from "../../storage/interactions.ts";
import { NEWSROOM_PATHS, renderBlocks } from "../pages/index.ts";
import { checkActor, checkDomain } from "./block-input.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { clientAddress, noticeOf, refuse, seeOther } from "./respond.ts";

const logger = getLogger(["loa", "web", "newsroom"]);

/** Registers the block list and the block and unblock actions. */
export function blockRoutes(
  app: Hono<NewsroomEnv>,
  deps: NewsroomDeps,
  moderation: Moderation,
): void {
  const { store } = deps;
  const origin = deps.config.origin;
  /** Back where the form was: the queue when sent from a reply there (`id`), else the block list. */
  const back = (c: Context<NewsroomEnv>) =>
    c.get("form").id ? NEWSROOM_PATHS.queue : NEWSROOM_PATHS.blocks;

  app.get(NEWSROOM_PATHS.blocks, async (c) =>
    c.html(
      renderBlocks({
        site: deps.content.current().site,
        csrfToken: c.get("session").csrfToken,
        viewer: c.get("viewer"),
        notice: noticeOf(c),
        blocks: await store.listBlocks(),
      }),
    ),
  );

  app.post(NEWSROOM_PATHS.blockActor, async (c) => {
    const session = c.get("session");
    const actor = checkActor(c.get("form").actor, origin);
    if (!actor.ok) return refuse(c, deps, 400, actor.reason, session.csrfToken);
    const { interactions, followed } = await moderation.blockActor(actor.value, {
      username: session.username,
      address: clientAddress(c),
    });
    logger.info(
      "Staff {username} blocked the actor {actor}: {interactions} interactions removed, follower removed: {followed}",
      { username: session.username, actor: actor.value, interactions, followed },
    );
    return seeOther(c, back(c), "blocked-actor");
  });

  app.post(NEWSROOM_PATHS.blockDomain, async (c) => {
    const session = c.get("session");
    const domain = checkDomain(c.get("form").domain, origin);
    if (!domain.ok) return refuse(c, deps, 400, domain.reason, session.csrfToken);
    const { interactions, followers } = await moderation.blockDomain(domain.value, {
      username: session.username,
      address: clientAddress(c),
    });
    logger.info(
      "Staff {username} blocked the server {host}: {interactions} interactions and {followers} followers removed",
      { username: session.username, host: domain.value, interactions, followers },
    );
    return seeOther(c, back(c), "blocked-domain");
  });

  app.post(NEWSROOM_PATHS.unblock, async (c) => {
    const session = c.get("session");
    const { kind, value } = c.get("form");
    const removed =
      (kind === "actor" || kind === "domain") &&
      value !== undefined &&
      (await moderation.unblock(kind satisfies BlockKind, value, {
        username: session.username,
        address: clientAddress(c),
      }));
    if (!removed) {
      return refuse(
        c,
        deps,
        400,
        "Không có mục này trong danh sách chặn. Không có gì thay đổi.",
        session.csrfToken,
      );
    }
    // What was removed when blocking stays removed; new replies and follows may come again.
    logger.info("Staff {username} lifted the {kind} block of {value}", {
      username: session.username,
      kind,
      value,
    });
    return seeOther(c, NEWSROOM_PATHS.blocks, "unblocked");
  });
}
