/**
 * What citizens send back: replies (and replies in their threads) and mentions of
 * the town, and their edit and delete (likes and boosts are in `reactions.ts`).
 * Fedify has verified the HTTP signature and that the key belongs to the
 * activity's `actor`; here we check that the actor owns what it changes and store
 * it for the staff and the article page.
 */
import {
  Article as APArticle,
  type Create,
  isActor,
  Note,
  type Update,
} from "@fedify/fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { createModeration } from "../moderation/service.ts";
import { ACTOR_LIMITS, type Interaction, type ModerationState } from "../storage/interactions.ts";
import { sanitizeReplyHtml } from "../text/sanitize.ts";
import {
  authorOf,
  contentOf,
  languageOf,
  mentions,
  ourArticleSlug,
  visibilityOf,
} from "./audience.ts";
import { actorIdentifier, type FederationDeps } from "./deps.ts";
import { loadersOf } from "./fetch-budget.ts";
import { blocked, type Ctx, existingArticleSlug, sameOrigin } from "./inbox-checks.ts";
import { toDate } from "./instant.ts";
import { findPublished } from "./objects.ts";

const logger = getLogger(["loa", "federation", "inbox"]);

/** A reply body larger than this is refused (a Mastodon post is at most a few KiB). */
export const MAX_REPLY_BYTES = 64 * 1024;

/**
 * The activity's object. Fedify re-fetches an embedded object from its own
 * server when the activity comes from another (so a peer cannot put words in
 * another's Note); an object that cannot be fetched is simply not taken.
 */
async function objectOf(ctx: Ctx, activity: Create | Update) {
  try {
    return await activity.getObject({
      ...loadersOf(ctx),
      suppressError: true,
    });
  } catch (error) {
    logger.debug("Could not get the object of {activity}: {error}", {
      activity: activity.id?.href,
      error,
    });
    return null;
  }
}

/** The article a reply belongs to: one of our Notes, or a reply we stored in such a thread. */
async function threadOf(ctx: Ctx, deps: FederationDeps, inReplyTo: URL | null) {
  if (ourArticleSlug(ctx, inReplyTo) !== null) return existingArticleSlug(ctx, deps, inReplyTo);
  if (inReplyTo == null) return null;
  const parent = await deps.store.getInteraction(inReplyTo.href);
  if (parent?.kind !== "reply" || parent.slug === null) return null;
  return findPublished(deps, parent.slug) != null ? parent.slug : null;
}

/** The staff's decision a new reply starts with, by the site's `replies` policy. */
async function initialState(deps: FederationDeps, actorId: string): Promise<ModerationState> {
  const policy = deps.content.current().site.replies;
  if (policy === "open") return "approved";
  if (policy === "followers" && (await deps.store.getFollower(actorId)) != null) return "approved";
  return "pending";
}

/** A Note (or Article) as a reply or mention to store, or null when it is neither. */
async function toInteraction(
  ctx: Ctx,
  deps: FederationDeps,
  activity: Create | Update,
  object: Note | APArticle,
): Promise<Interaction | null> {
  const actorId = activity.actorId;
  if (object.id == null || actorId == null) return null;
  if (object.attributionId?.href !== actorId.href || !sameOrigin(object.id, actorId)) {
    logger.info("Ignoring {object}: not attributed to its sender {actor}", {
      object: object.id.href,
      actor: actorId.href,
    });
    return null;
  }
  const raw = contentOf(object);
  if (Buffer.byteLength(raw, "utf8") > MAX_REPLY_BYTES) {
    logger.warning("Refused {object} from {actor}: content over {max} bytes", {
      object: object.id.href,
      actor: actorId.href,
      max: MAX_REPLY_BYTES,
    });
    return null;
  }
  const slug = await threadOf(ctx, deps, object.replyTargetId);
  const ourActor = new URL(deps.urls.actor(actorIdentifier(deps)));
  const kind = slug !== null ? "reply" : (await mentions(object, ourActor, ctx)) ? "mention" : null;
  if (kind === null) return null;
  const actor = await activity.getActor({ ...loadersOf(ctx), suppressError: true });
  if (!isActor(actor) || actor.id?.href !== actorId.href) return null;
  const url = object.url;
  const published = toDate(object.published) ?? deps.clock();
  return {
    id: object.id.href,
    kind,
    author: await authorOf(actor, ctx),
    slug,
    inReplyTo: object.replyTargetId?.href ?? null,
    url: url instanceof URL ? url.href : (url?.href?.href ?? object.id.href),
    language: languageOf(object),
    html: sanitizeReplyHtml(raw, { baseUrl: object.id.href }),
    visibility: visibilityOf(object, actor.followersId),
    state: kind === "reply" ? await initialState(deps, actorId.href) : "pending",
    published,
    updated: toDate(object.updated),
    receivedAt: deps.clock(),
  };
}

/** Create(Note): a reply in one of our threads, or a mention of the town. */
export async function onCreated(ctx: Ctx, deps: FederationDeps, create: Create): Promise<void> {
  if (create.actorId == null || (await blocked(deps, create.actorId, create))) return;
  const object = await objectOf(ctx, create);
  if (!(object instanceof Note || object instanceof APArticle)) return;
  const interaction = await toInteraction(ctx, deps, create, object);
  if (interaction === null) return;
  const result = await deps.store.putInteraction(interaction, { limits: ACTOR_LIMITS });
  logger.info("{kind} {id} from {actor}: {result}", {
    kind: interaction.kind,
    id: interaction.id,
    actor: interaction.author.actorId,
    result,
  });
  if (result === "created" || result === "updated") deps.onInteraction(interaction.slug);
}

/** Update(Note) of a stored reply or mention: its author edited it. */
export async function onUpdated(ctx: Ctx, deps: FederationDeps, update: Update): Promise<void> {
  if (update.actorId == null || update.objectId == null) return;
  if (await blocked(deps, update.actorId, update)) return;
  const stored = await deps.store.getInteraction(update.objectId.href);
  if (stored == null) return;
  const object = await objectOf(ctx, update);
  if (!(object instanceof Note || object instanceof APArticle)) return;
  const interaction = await toInteraction(ctx, deps, update, object);
  if (interaction === null) return;
  const result = await deps.store.putInteraction(interaction, { limits: ACTOR_LIMITS });
  if (result === "refused") {
    logger.warning("{actor} tried to edit {id}, which is not theirs", {
      actor: update.actorId.href,
      id: interaction.id,
    });
    return;
  }
  if (result === "limited") {
    logger.warning("Refused the edit of {id}: {actor} keeps too much here already", {
      actor: update.actorId.href,
      id: interaction.id,
    });
    return;
  }
  // The old thread too: a reply moved elsewhere (or sent back to moderation) leaves it.
  if (result === "updated") {
    deps.onInteraction(stored.slug);
    if (interaction.slug !== stored.slug) deps.onInteraction(interaction.slug);
  }
}

/** Delete of a stored reply or mention by its author. Returns true when something went. */
export async function onInteractionDeleted(
  deps: FederationDeps,
  actorId: URL,
  objectId: URL,
): Promise<boolean> {
  const stored = await deps.store.getInteraction(objectId.href);
  if (stored == null) return false;
  if (!(await deps.store.removeInteraction(objectId.href, actorId.href))) {
    logger.warning("{actor} tried to delete {id}, which is not theirs", {
      actor: actorId.href,
      id: objectId.href,
    });
    return false;
  }
  logger.info("{actor} deleted {id}", { actor: actorId.href, id: objectId.href });
  deps.onInteraction(stored.slug);
  return true;
}

/** Everything from an actor whose account was deleted (or that was blocked). */
export async function forgetActor(deps: FederationDeps, actorId: URL): Promise<number> {
  return await createModeration({
    store: deps.store,
    changed: deps.onInteraction,
    clock: deps.clock,
  }).forgetActor(actorId.href);
}
