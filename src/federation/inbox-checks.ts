/**
 * What every incoming interaction is checked against: the sender is not blocked, it
 * speaks only for objects on its own server, and the article it is about is published.
 */
import type { InboxContext } from "@fedify/fedify";
import type { Activity } from "@fedify/fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { ourArticleSlug } from "./audience.ts";
import type { FederationDeps } from "./deps.ts";
import { findPublished } from "./objects.ts";
import type { RequestData } from "./request-data.ts";

const logger = getLogger(["loa", "federation", "inbox"]);

export type Ctx = InboxContext<RequestData>;

/** Same server for the object as for the actor: a peer cannot speak for another's objects. */
export function sameOrigin(a: URL, b: URL): boolean {
  return a.origin === b.origin;
}

export async function blocked(
  deps: FederationDeps,
  actorId: URL,
  activity: Activity,
): Promise<boolean> {
  if (!(await deps.store.isBlocked(actorId.href))) return false;
  logger.debug("Ignoring {activity} from blocked {actor}", {
    activity: activity.id?.href,
    actor: actorId.href,
  });
  return true;
}

/**
 * The slug of our published article whose Note is at `url`, or null: an
 * interaction about an article that does not exist (never did, or was
 * removed or withdrawn) is refused, not kept for an article nobody can see.
 */
export function existingArticleSlug(
  ctx: Ctx,
  deps: FederationDeps,
  url: URL | null,
): string | null {
  const slug = ourArticleSlug(ctx, url);
  return slug !== null && findPublished(deps, slug) != null ? slug : null;
}
