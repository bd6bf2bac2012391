/**
 * ActivityPub federation: the actor, its collections, articles as Notes and
 * the inbox, on Fedify. Publishing (what to send when content changes) is in
 * `publish/`; the HTTP glue in `web/federation-middleware.ts`.
 */
import type { Federation } from "@fedify/fedify";
import type { SendToFollowers } from "../publish/deps.ts";
import { withAttributionDomains } from "./actor.ts";
import { deliveryTracking, prepareOutbound } from "./delivery.ts";
import { actorIdentifier, type FederationDeps } from "./deps.ts";
import { configureFedify } from "./fedify.ts";
import { goneTombstone, isGone } from "./gone.ts";
import { type MoveResult, moveAccount } from "./move.ts";
import { newRequestData, type RequestData } from "./request-data.ts";

export { createDeliveryFederation, type DeliveryDeps } from "./delivery.ts";
export type { FederationDeps } from "./deps.ts";
export { type ActorKeys, hasKeys, KeyFileError, loadOrCreateKeys } from "./keys.ts";
export type { MoveResult } from "./move.ts";
export { newRequestData, type RequestData } from "./request-data.ts";

/** How the account is named, for WebFinger answers. */
export interface AccountInfo {
  /** The actor's username (lowercase). */
  username: string;
  /** The host of its `acct:` handle. */
  host: string;
  /** Its profile page (the actor's `url`). */
  profilePage: string;
}

/** What {@link createFederation} built, for the web layer and the publisher. */
export interface LoaFederation {
  federation: Federation<RequestData>;
  /** The actor's path (`/users/{username}`), whose JSON the web layer finishes with {@link actorDocument}. */
  actorPath(): string;
  /** The account's username, host and profile page. */
  account(): AccountInfo;
  /** Adds what Fedify's vocabulary cannot express to the actor's JSON-LD. */
  actorDocument(json: Record<string, unknown>): unknown;
  /** True when the article was published and then removed (its page answers 410). */
  isGone(slug: string): Promise<boolean>;
  /**
   * The Tombstone JSON-LD the Note id `requested` (the article's URL, with
   * `?v=` for a later publication) answers with, or null while it is live.
   */
  tombstone(slug: string, requested: URL): Promise<unknown | null>;
  /**
   * The one way the publisher sends: to every follower, once per shared
   * inbox, each delivery carrying `Collection-Synchronization` (FEP-8fcf).
   */
  sendToFollowers: SendToFollowers;
  /**
   * Moves the account to `target` (an actor URL that lists ours in
   * `alsoKnownAs`): records `movedTo` and enqueues `Move` for every follower.
   */
  moveTo(target: string): Promise<MoveResult>;
  /**
   * Consumes Fedify's lanes (inbox, deliveries) until `signal` aborts (with
   * `manuallyStartQueue`).
   */
  startQueue(signal: AbortSignal): Promise<void>;
}

/** Builds the federation (see {@link FederationDeps}). */
export function createFederation(deps: FederationDeps): LoaFederation {
  prepareOutbound(deps.config);
  const tracking = deliveryTracking(deps);
  const federation = configureFedify(deps, tracking);
  const sendToFollowers: SendToFollowers = async (activity, options = {}) => {
    const ctx = federation.createContext(deps.config.origin, newRequestData());
    const identifier = actorIdentifier(deps);
    await ctx.sendActivity({ identifier }, "followers", activity, {
      preferSharedInbox: true,
      // FEP-8fcf: each server can check its view of who follows us against
      // a digest and repair it from our followers collection.
      syncCollection: true,
      ...(options.orderingKey ? { orderingKey: options.orderingKey } : {}),
    });
  };
  return {
    federation,
    actorPath: () => new URL(deps.urls.actor(actorIdentifier(deps))).pathname,
    account: () => ({
      username: actorIdentifier(deps),
      host: deps.config.origin.host,
      profilePage: deps.urls.home(),
    }),
    actorDocument: (json) => withAttributionDomains(json, deps.config.origin.host),
    isGone: (slug) => isGone(deps.store, slug),
    tombstone: (slug, requested) => goneTombstone(deps, slug, requested),
    sendToFollowers,
    moveTo: (target) => moveAccount(deps, federation, sendToFollowers, target),
    startQueue: (signal) => federation.startQueue(newRequestData(), { signal }),
  };
}
