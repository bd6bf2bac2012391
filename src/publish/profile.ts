import { createHash } from "node:crypto";
import { PUBLIC_COLLECTION, Update } from "@fedify/fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { PublishDeps } from "./deps.ts";
import { pinnedArticles } from "./featured.ts";

const logger = getLogger(["loa", "publish", "profile"]);

/** What was last announced about the actor's profile (kept in Fedify's KV store). */
interface ProfileState {
  hash: string;
  version: number;
  /** False between recording a change and enqueueing its Update (crash-safe, like the ledger). */
  queued: boolean;
}

const KEY = ["loa", "profile"] as const;

/**
 * Everything that shows on the actor's profile: `site.yml`'s actor (its
 * `featured_tags` included) and links, and the pinned articles, so pinning
 * is announced too: Mastodon reloads `featured` when it processes the
 * Update. Hashtags featured for their use are left out: they shift as
 * articles come and go, and would send an Update to every follower each time.
 */
export function profileHash(deps: Pick<PublishDeps, "content" | "clock">): string {
  const site = deps.content.current().site;
  const pinned = pinnedArticles(deps.content.published(deps.clock())).map((a) => a.slug);
  return createHash("sha256")
    .update(JSON.stringify({ actor: site.actor, links: site.links, pinned }))
    .digest("hex");
}

/** The `version`th profile Update: the actor's id as object (see {@link announceProfileChange}). */
export function profileUpdate(
  urls: PublishDeps["urls"],
  username: string,
  version: number,
): Update {
  const actorId = new URL(urls.actor(username));
  return new Update({
    id: new URL(urls.profileUpdate(version)),
    actor: actorId,
    object: actorId,
    to: PUBLIC_COLLECTION,
    cc: new URL(urls.followers(username)),
  });
}

/** How many profile Updates were made (versions 1 … this one dereference). */
export async function profileVersion(kv: PublishDeps["kv"]): Promise<number> {
  return (await kv.get<ProfileState>([...KEY]))?.version ?? 0;
}

/**
 * Sends `Update(Organization)` to followers when `site.yml` changed the
 * profile, so their servers need not wait for their daily refetch. The object
 * is the actor's id, not an embedded copy: Mastodon dereferences it and so
 * reads the whole document, `attributionDomains` included (which Fedify's
 * vocabulary cannot embed). Returns true when an Update was enqueued.
 */
export async function announceProfileChange(deps: PublishDeps): Promise<boolean> {
  const hash = profileHash(deps);
  const state = await deps.kv.get<ProfileState>([...KEY]);
  if (state == null) {
    // First start: nobody has seen an older profile.
    await deps.kv.set([...KEY], { hash, version: 0, queued: true } satisfies ProfileState);
    return false;
  }
  if (state.hash === hash && state.queued) return false;
  const next: ProfileState =
    state.hash === hash ? state : { hash, version: state.version + 1, queued: false };
  await deps.kv.set([...KEY], next);
  const username = deps.content.current().site.actor.username;
  const update = profileUpdate(deps.urls, username, next.version);
  await deps.send(update);
  await deps.kv.set([...KEY], { ...next, queued: true } satisfies ProfileState);
  logger.info("Profile changed; sent {activity}", { activity: update.id?.href });
  return true;
}
