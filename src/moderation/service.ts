/**
 * One moderation service: what happens when the town stops hearing from an
 * actor or a server, or when staff decide on a reply. Blocking from the
 * newsroom, an actor's own `Delete` arriving in the inbox, and the queue's
 * approve, reject, "block the author" and "block the server" all come here,
 * so what "block" removes is written once.
 *
 * Whether a block covers an actor is the store's `isBlocked`; which host a
 * domain block names is `blockHost` (storage). The service only calls them,
 * so a change of how a domain matches (subdomains, ports) lands in one place.
 */
import type { AuditEntry } from "../storage/audit.ts";
import type { Block, BlockKind, Interaction, ModerationState } from "../storage/interactions.ts";
import type { Store } from "../storage/store.ts";

/** What the service works with. */
export interface ModerationDeps {
  store: Pick<
    Store,
    | "addBlock"
    | "removeBlock"
    | "removeInteractionsBy"
    | "removeInteractionsFromHost"
    | "removeFollower"
    | "removeFollowersFromHost"
    | "getInteraction"
    | "setModeration"
  >;
  /** Told when what an article page shows changed (`null`: any article may have). */
  changed: (slug: string | null) => void;
  clock: () => Date;
}

/** The staff member acting, for the audit trail. */
export interface Moderator {
  username: string;
  /** The client address as the newsroom determined it. */
  address: string;
}

/** What blocking an actor removed. */
export interface ActorBlocked {
  created: boolean;
  interactions: number;
  followed: boolean;
}

/** What blocking a server removed. */
export interface DomainBlocked {
  created: boolean;
  interactions: number;
  followers: number;
}

export interface Moderation {
  /** Blocks `actorId` and removes its replies, likes, boosts and its follow. */
  blockActor(actorId: string, by: Moderator): Promise<ActorBlocked>;
  /** Blocks every actor on `host` (as `blockHost` names it) and removes what they left here. */
  blockDomain(host: string, by: Moderator): Promise<DomainBlocked>;
  /** Lifts a block. What blocking removed stays removed. False when there was no such block. */
  unblock(kind: BlockKind, value: string, by: Moderator): Promise<boolean>;
  /** An actor deleted itself: what it left here goes (it stays free to come back). */
  forgetActor(actorId: string): Promise<number>;
  /** Staff's decision on a reply; null when there is no such reply. */
  decide(id: string, state: ModerationState, by: Moderator): Promise<Interaction | null>;
}

export function createModeration(deps: ModerationDeps): Moderation {
  const { store } = deps;
  const block = (kind: BlockKind, value: string, by: Moderator): Block => ({
    kind,
    value,
    createdAt: deps.clock(),
    by: by.username,
  });
  // Handed to the store, which writes it in the change's own transaction.
  const record = (
    by: Moderator,
    action: string,
    subject: string,
    detail: AuditEntry["detail"] = null,
  ): AuditEntry => ({
    at: deps.clock(),
    actor: by.username,
    action,
    subject,
    outcome: "ok",
    address: by.address,
    detail,
  });
  return {
    async blockActor(actorId, by) {
      // The block and its record first, together: from then on nothing new is stored
      // from the actor, and what it left is removed (counted in the log, not the record).
      const created = await store.addBlock(
        block("actor", actorId, by),
        record(by, "block.actor", actorId),
      );
      const [interactions, followed] = await Promise.all([
        store.removeInteractionsBy(actorId),
        store.removeFollower(actorId),
      ]);
      deps.changed(null);
      return { created, interactions, followed };
    },

    async blockDomain(host, by) {
      const created = await store.addBlock(
        block("domain", host, by),
        record(by, "block.domain", host),
      );
      const [interactions, followers] = await Promise.all([
        store.removeInteractionsFromHost(host),
        store.removeFollowersFromHost(host),
      ]);
      deps.changed(null);
      return { created, interactions, followers };
    },

    async unblock(kind, value, by) {
      return await store.removeBlock(kind, value, record(by, `unblock.${kind}`, value));
    },

    async forgetActor(actorId) {
      const removed = await store.removeInteractionsBy(actorId);
      if (removed > 0) deps.changed(null);
      return removed;
    },

    async decide(id, state, by) {
      const reply = await store.getInteraction(id);
      if (reply === null || reply.kind !== "reply") return null;
      const action = state === "approved" ? "reply.approve" : "reply.reject";
      const decided = await store.setModeration(
        reply.id,
        state,
        record(by, action, reply.id, { state, author: reply.author.actorId }),
      );
      // Removed between the read and the write (its author deleted it): nothing to decide.
      if (!decided) return null;
      // What the article page shows changed (or may have: a decision can be reversed).
      if (reply.slug !== null) deps.changed(reply.slug);
      return reply;
    },
  };
}
