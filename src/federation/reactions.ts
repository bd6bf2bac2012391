/**
 * Likes (and Misskey/Pleroma emoji reactions) and boosts of our Notes, and their undo.
 */
import { type Activity, Announce, EmojiReact, isActor, Like } from "@fedify/fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { authorOf, ourArticleSlug, visibilityOf } from "./audience.ts";
import type { FederationDeps } from "./deps.ts";
import { loadersOf } from "./fetch-budget.ts";
import { blocked, type Ctx, existingArticleSlug, sameOrigin } from "./inbox-checks.ts";
import { toDate } from "./instant.ts";

const logger = getLogger(["loa", "federation", "inbox"]);

/** Like, EmojiReact (counted as a like) and Announce of one of our Notes. */
export async function onReacted(
  ctx: Ctx,
  deps: FederationDeps,
  activity: Like | EmojiReact | Announce,
): Promise<void> {
  const actorId = activity.actorId;
  if (activity.id == null || actorId == null || (await blocked(deps, actorId, activity))) return;
  if (!sameOrigin(activity.id, actorId)) return;
  const slug = existingArticleSlug(ctx, deps, activity.objectId);
  if (slug === null) {
    logger.debug("Ignoring {activity}: {object} is no article of ours", {
      activity: activity.id.href,
      object: activity.objectId?.href,
    });
    return;
  }
  const actor = await activity.getActor({ ...loadersOf(ctx), suppressError: true });
  if (!isActor(actor) || actor.id?.href !== actorId.href) return;
  const kind = activity instanceof Announce ? "announce" : "like";
  const result = await deps.store.putInteraction({
    id: activity.id.href,
    kind,
    author: await authorOf(actor, ctx),
    slug,
    inReplyTo: null,
    url: null,
    language: null,
    html: null,
    visibility: activity instanceof Announce ? visibilityOf(activity, actor.followersId) : "public",
    state: "approved",
    published: toDate(activity.published) ?? deps.clock(),
    updated: null,
    receivedAt: deps.clock(),
  });
  if (result === "created") {
    logger.info("{actor} {kind} {slug}", { actor: actorId.href, kind, slug });
    deps.onInteraction(slug);
  }
}

/**
 * Undo of a Like, EmojiReact or Announce: by the activity's id when we stored
 * it, else (a peer that re-created its Like under a new id) by actor and article.
 */
export async function onReactionUndone(
  ctx: Ctx,
  deps: FederationDeps,
  actorId: URL,
  object: Activity | null,
  objectId: URL,
): Promise<boolean> {
  const stored = await deps.store.getInteraction(objectId.href);
  if (stored != null) {
    if (!(await deps.store.removeInteraction(objectId.href, actorId.href))) return false;
    deps.onInteraction(stored.slug);
    return true;
  }
  if (!(object instanceof Like || object instanceof EmojiReact || object instanceof Announce)) {
    return false;
  }
  if (object.actorId?.href !== actorId.href) return false;
  const slug = ourArticleSlug(ctx, object.objectId);
  if (slug === null) return false;
  const kind = object instanceof Announce ? "announce" : "like";
  const removed = await deps.store.removeReaction(actorId.href, kind, slug);
  if (removed > 0) deps.onInteraction(slug);
  return removed > 0;
}
