/**
 * ActivityPub federation: the actor, its collections, articles as Notes and
 * the inbox, on Fedify. Publishing (what to send when content changes) is in
 * `publish/`; the HTTP glue in `web/federation-middleware.ts`.
 */
import type { Federation, Message } from "@fedify/fedify";
import type { SendToFollowers } from "../publish/deps.ts";
import { withAttributionDomains } from "./actor.ts";
import { deliveryTracking, prepareOutbound } from "./delivery.ts";
import { actorIdentifier, type FederationDeps } from "./deps.ts";
import { configureFedify } from "./fedify.ts";
import { goneTombstone, isGone } from "./gone.ts";
import { newRequestData, type RequestData } from "./request-data.ts";

export { createDeliveryFederation, type DeliveryDeps } from "./delivery.ts";
export type { FederationDeps } from "./deps.ts";
export { type ActorKeys, KeyFileError, loadOrCreateKeys } from "./keys.ts";
export { newRequestData, type RequestData } from "./request-data.ts";

/** What {@link createFederation} built, for the web layer and the publisher. */
export interface LoaFederation {
  federation: Federation<RequestData>;
  /** The actor's path (`/users/{username}`), whose JSON the web layer finishes with {@link actorDocument}. */
  actorPath(): string;
  /** Adds what Fedify's vocabulary cannot express to the actor's JSON-LD. */
  actorDocument(json: Record<string, unknown>): unknown;
  /** True when the article was published and then removed (its page answers 410). */
  isGone(slug: string): Promise<boolean>;
  /** The Tombstone JSON-LD of a removed article's Note, or null. */
  tombstone(slug: string): Promise<unknown | null>;
  /** The one way the publisher sends: to every follower, once per shared inbox. */
  sendToFollowers: SendToFollowers;
  /** Consumes the delivery queue until `signal` aborts (with `manuallyStartQueue`). */
  startQueue(signal: AbortSignal): Promise<void>;
  /** Runs one queued task here (one a delivery thread handed over: an incoming activity). */
  runQueuedTask(message: unknown): Promise<void>;
}

/** Builds the federation (see {@link FederationDeps}). */
export function createFederation(deps: FederationDeps): LoaFederation {
  prepareOutbound(deps.config);
  const tracking = deliveryTracking(deps);
  const federation = configureFedify(deps, tracking);
  return {
    federation,
    actorPath: () => new URL(deps.urls.actor(actorIdentifier(deps))).pathname,
    actorDocument: (json) => withAttributionDomains(json, deps.config.origin.host),
    isGone: (slug) => isGone(deps.store, slug),
    tombstone: (slug) => goneTombstone(deps, slug),
    sendToFollowers: async (activity, options = {}) => {
      const ctx = federation.createContext(deps.config.origin, newRequestData());
      const identifier = actorIdentifier(deps);
      await ctx.sendActivity({ identifier }, "followers", activity, {
        preferSharedInbox: true,
        ...(options.orderingKey ? { orderingKey: options.orderingKey } : {}),
      });
    },
    startQueue: (signal) => federation.startQueue(newRequestData(), { signal }),
    runQueuedTask: (message) => federation.processQueuedTask(newRequestData(), message as Message),
  };
}
