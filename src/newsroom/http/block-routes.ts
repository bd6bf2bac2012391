/**
 * Blocks: an actor or a whole server. Blocking stops storing from it and
 * delivering to it (the store's `isBlocked`, asked by the inbox and the
 * fan-out), and removes what it already left here (the moderation service,
 * `moderation/service.ts`, which the queue and the inbox use too).
 */
import { getLogger } from "@logtape/logtape";
import type { Context, Hono } from "hono";
import type { Moderation, Moderator } from "../../moderation/service.ts";
import type { BlockKind } from "../../storage/interactions.ts";
import { NEWSROOM_PATHS, renderBlocks } from "../pages/index.ts";
import { type Checked, checkActor, checkDomain } from "./block-input.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { clientAddress, type Notice, noticeOf, refuse, seeOther } from "./respond.ts";

const logger = getLogger(["loa", "web", "newsroom"]);

interface BlockAction {
  path: string;
  check(form: Readonly<Record<string, string>>): Checked;
  /** Blocks the checked value; resolves with what the log line names. */
  block(value: string, by: Moderator): Promise<Record<string, unknown>>;
  message: string;
  done: Notice;
}

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

  /** What blocking each kind reads from the form, asks of moderation, logs and tells. */
  const blocking: Record<BlockKind, BlockAction> = {
    actor: {
      path: NEWSROOM_PATHS.blockActor,
      check: (form) => checkActor(form.actor, origin),
      async block(actor, by) {
        const { interactions, followed } = await moderation.blockActor(actor, by);
        return { actor, interactions, followed };
      },
      message:
        "Staff {username} blocked the actor {actor}: {interactions} interactions removed, follower removed: {followed}",
      done: "blocked-actor",
    },
    domain: {
      path: NEWSROOM_PATHS.blockDomain,
      check: (form) => checkDomain(form.domain, origin),
      async block(host, by) {
        const { interactions, followers } = await moderation.blockDomain(host, by);
        return { host, interactions, followers };
      },
      message:
        "Staff {username} blocked the server {host}: {interactions} interactions and {followers} followers removed",
      done: "blocked-domain",
    },
  };
  for (const action of Object.values(blocking)) {
    app.post(action.path, async (c) => {
      const session = c.get("session");
      const checked = action.check(c.get("form"));
      if (!checked.ok) return refuse(c, deps, 400, checked.reason, session.csrfToken);
      const by = { username: session.username, address: clientAddress(c) };
      const removed = await action.block(checked.value, by);
      logger.info(action.message, { username: session.username, ...removed });
      return seeOther(c, back(c), action.done);
    });
  }

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
