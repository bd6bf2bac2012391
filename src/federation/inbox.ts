import { randomUUID } from "node:crypto";
import type { Federation, InboxContext } from "@fedify/fedify";
import {
  Accept,
  Activity,
  Announce,
  Create,
  Delete,
  EmojiReact,
  Follow,
  isActor,
  Like,
  QuoteRequest,
  Reject,
  Undo,
  Update,
} from "@fedify/fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { PATHS } from "../urls.ts";
import { actorIdentifier, type FederationDeps } from "./deps.ts";
import { loadersOf } from "./fetch-budget.ts";
import { blocked } from "./inbox-checks.ts";
import { forgetActor, onCreated, onInteractionDeleted, onUpdated } from "./interactions.ts";
import { forgetQuote, onQuoteRequested } from "./quotes.ts";
import { onReacted, onReactionUndone } from "./reactions.ts";
import type { RequestData } from "./request-data.ts";

const logger = getLogger(["loa", "federation", "inbox"]);

/** Whether `target` is our actor's id. */
function isOurActor(
  ctx: InboxContext<RequestData>,
  deps: FederationDeps,
  target: URL | null,
): boolean {
  if (target == null) return false;
  const parsed = ctx.parseUri(target);
  return parsed?.type === "actor" && parsed.identifier === actorIdentifier(deps);
}

/**
 * Follow of our actor: store the follower (inbox and shared inbox from its
 * fetched actor document), then answer with a signed Accept. Fedify has
 * already checked that the HTTP signature's key belongs to `follow.actor`.
 * A Follow from someone who already follows (a peer that lost our Accept and
 * sends its Follow again, same id or not) refreshes the row and is accepted
 * again, as Mastodon does, or that follow would stay "pending" there.
 */
export async function onFollowed(
  ctx: InboxContext<RequestData>,
  deps: FederationDeps,
  follow: Follow,
): Promise<void> {
  if (follow.id == null || follow.actorId == null) return;
  if (!isOurActor(ctx, deps, follow.objectId)) {
    logger.debug("Ignoring a Follow of {object}", { object: follow.objectId?.href });
    return;
  }
  const follower = await follow.getActor({ ...loadersOf(ctx), suppressError: true });
  if (!isActor(follower) || follower.id == null || follower.inboxId == null) {
    logger.warning("Follow {id}: its actor cannot be fetched or has no inbox", {
      id: follow.id.href,
    });
    return;
  }
  if (follower.id.href !== follow.actorId.href) return;
  if (await deps.store.isBlocked(follower.id.href)) {
    // As Mastodon does: a Reject, so the blocked account's server does not
    // show the follow as pending forever; nothing is stored.
    const actorUri = new URL(deps.urls.actor(actorIdentifier(deps)));
    await ctx.sendActivity(
      { identifier: actorIdentifier(deps) },
      follower,
      new Reject({
        id: new URL(`#rejects/${randomUUID()}`, actorUri),
        actor: actorUri,
        object: follow,
      }),
    );
    logger.info("Refused a Follow from blocked {follower}", { follower: follower.id.href });
    return;
  }
  const isNew = await deps.store.addFollower({
    actorId: follower.id.href,
    followId: follow.id.href,
    inbox: follower.inboxId.href,
    sharedInbox: follower.endpoints?.sharedInbox?.href ?? null,
    createdAt: deps.clock(),
  });
  const identifier = actorIdentifier(deps);
  const actorUri = new URL(deps.urls.actor(identifier));
  // A fresh id each time: a peer that dedupes activity ids (Fedify does) would
  // drop a second Accept that repeated the first one's. A fragment of the
  // actor, as Mastodon's Accepts are: it dereferences to the actor.
  const id = new URL(`#accepts/follows/${randomUUID()}`, actorUri);
  await ctx.sendActivity(
    { identifier },
    follower,
    new Accept({ id, actor: actorUri, object: follow }),
  );
  logger.info("{follower} follows us ({status})", {
    follower: follower.id.href,
    status: isNew ? "new" : "again",
  });
}

/**
 * Undo(Follow) from the follower itself removes it. With the Follow embedded,
 * by actor and target whatever its id, as Mastodon does (the id we stored may
 * have drifted when Follows and Accepts crossed); with only an id we cannot
 * fetch, that id must be the stored follow's (it might name something else).
 */
export async function onUnfollowed(
  ctx: InboxContext<RequestData>,
  deps: FederationDeps,
  undo: Undo,
): Promise<void> {
  if (undo.actorId == null || undo.objectId == null) return;
  // Peers rarely make their Follow dereferenceable: fall back to the embedded/linked id.
  const object = await undo
    .getObject({
      ...loadersOf(ctx),
      suppressError: true,
    })
    .catch(() => null);
  if (object != null && !(object instanceof Follow)) return;
  if (object instanceof Follow) {
    if (object.actorId?.href !== undo.actorId.href) return;
    if (!isOurActor(ctx, deps, object.objectId)) return;
  }
  const removed =
    object instanceof Follow
      ? await deps.store.removeFollower(undo.actorId.href)
      : await deps.store.removeFollower(undo.actorId.href, undo.objectId.href);
  if (removed) logger.info("{follower} unfollowed us", { follower: undo.actorId.href });
}

/** Delete of a follower's actor: forget it. */
export async function onDeleted(
  _ctx: InboxContext<RequestData>,
  deps: FederationDeps,
  del: Delete,
): Promise<void> {
  if (del.actorId == null || del.objectId?.href !== del.actorId.href) return;
  if (await deps.store.removeFollower(del.actorId.href)) {
    logger.info("{follower} was deleted; removed from followers", { follower: del.actorId.href });
  }
}

/** Undo of a like or boost, else of a Follow. */
async function onUndone(ctx: InboxContext<RequestData>, deps: FederationDeps, undo: Undo) {
  if (undo.actorId == null || undo.objectId == null) return;
  if (await blocked(deps, undo.actorId, undo)) return;
  const object = await undo
    .getObject({
      ...loadersOf(ctx),
      suppressError: true,
    })
    .catch(() => null);
  const reaction =
    object instanceof Activity
      ? !(object instanceof Follow)
      : // Neither embedded nor dereferenceable: a stored like or boost, else a Follow.
        (await deps.store.getInteraction(undo.objectId.href)) != null;
  if (!reaction) {
    await onUnfollowed(ctx, deps, undo);
    return;
  }
  const activity = object instanceof Activity ? object : null;
  await onReactionUndone(ctx, deps, undo.actorId, activity, undo.objectId);
}

/** Delete of an actor (a follower, an author of replies), or of a reply by its author. */
async function onDeletedAny(ctx: InboxContext<RequestData>, deps: FederationDeps, del: Delete) {
  if (del.actorId == null || del.objectId == null) return;
  if (del.objectId.href === del.actorId.href) {
    await onDeleted(ctx, deps, del);
    const removed = await forgetActor(deps, del.actorId);
    if (removed > 0)
      logger.info("{actor} was deleted; removed {count} interactions", {
        actor: del.actorId.href,
        count: removed,
      });
    return;
  }
  await onInteractionDeleted(deps, del.actorId, del.objectId);
  await forgetQuote(deps, del.actorId, del.objectId);
}

/**
 * The inbox's listeners. `allowRepeat` (see `repeatable-inbox.ts`) is told
 * the ids of requests a peer may send again while waiting for our answer (a
 * Follow, a QuoteRequest), so that a repeat is answered again.
 */
export function registerInbox(
  federation: Federation<RequestData>,
  deps: FederationDeps,
  allowRepeat: (activityId: string) => void = () => {},
): void {
  // Fedify logs an activity no listener takes as an error, with the whole
  // document; a type we do not handle is normal traffic: once each, at debug.
  const unhandled = new Set<string>();
  federation
    .setInboxListeners(PATHS.inbox, PATHS.sharedInbox)
    .on(Follow, async (ctx, follow) => {
      await onFollowed(ctx, deps, follow);
      if (follow.id) allowRepeat(follow.id.href);
    })
    .on(QuoteRequest, async (ctx, request) => {
      await onQuoteRequested(ctx, deps, request);
      if (request.id) allowRepeat(request.id.href);
    })
    .on(Undo, (ctx, undo) => onUndone(ctx, deps, undo))
    .on(Delete, (ctx, del) => onDeletedAny(ctx, deps, del))
    .on(Create, (ctx, create) => onCreated(ctx, deps, create))
    .on(Update, (ctx, update) => onUpdated(ctx, deps, update))
    .on(Like, (ctx, like) => onReacted(ctx, deps, like))
    .on(EmojiReact, (ctx, react) => onReacted(ctx, deps, react))
    .on(Announce, (ctx, announce) => onReacted(ctx, deps, announce))
    .on(Activity, (_ctx, activity) => {
      const type = activity.constructor.name;
      if (unhandled.has(type)) return;
      unhandled.add(type);
      logger.debug("Not handling {type} activities (first seen: {id})", {
        type,
        id: activity.id?.href,
      });
    })
    .onError((_ctx, error) => {
      logger.error("Inbox handler failed: {error}", { error });
    });
}
