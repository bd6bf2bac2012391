/**
 * ActivityPub federation: the actor, its collections, articles as Notes and
 * the inbox, on Fedify. Publishing (what to send when content changes) is in
 * `publish/`; the HTTP glue in `web/federation-middleware.ts`.
 */
import type { Federation } from "@fedify/fedify";
import type { SendToFollowers } from "../publish/deps.ts";
import { withAttributionDomains } from "./actor.ts";
import { trackDeliveries } from "./delivery-tracking.ts";
import { actorIdentifier, type FederationDeps } from "./deps.ts";
import { configureFedify } from "./fedify.ts";
import { goneTombstone, isGone } from "./gone.ts";
import { DEFAULT_MAX_REDIRECTS, installOutboundFetchGuard } from "./outbound-fetch.ts";
import { newRequestData, type RequestData } from "./request-data.ts";

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
}

/** Builds the federation (see {@link FederationDeps}). */
export function createFederation(deps: FederationDeps): LoaFederation {
  // Fedify 2.3.8 sets no timeout or size bound on what it fetches (actors,
  // keys) or delivers, and follows 20 redirects; its loader factories cannot
  // be replaced while `allowPrivateAddress` or `userAgent` are set, and
  // delivery has no fetch hook at all. So the process's global `fetch`, the
  // one place every such request goes through, is replaced by a bounded one
  // here, before Fedify makes any request (see outbound-fetch.ts).
  installOutboundFetchGuard({
    timeoutMs: deps.config.fetchTimeoutMs,
    maxBytes: deps.config.fetchMaxBytes,
    maxRedirects: DEFAULT_MAX_REDIRECTS,
  });
  const tracking = trackDeliveries(deps.queue, {
    store: deps.store,
    clock: deps.clock,
    maxAttempts: deps.config.deliveryMaxAttempts,
    observe: deps.observeDelivery,
  });
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
  };
}
