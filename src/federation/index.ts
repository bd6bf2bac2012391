/**
 * ActivityPub federation: the actor, its collections, articles as Notes,
 * the inbox, and the publisher that turns content changes into activities.
 */
import type { Federation } from "@fedify/fedify";
import type { FederationDeps } from "./deps.ts";
import { createFederation as build } from "./federation.ts";
import { rememberDeps } from "./middleware.ts";

export type { FederationDeps } from "./deps.ts";
export { type ActorKeys, KeyFileError, loadOrCreateKeys } from "./keys.ts";
export { federationMiddleware, isGone } from "./middleware.ts";
export { type Publisher, startPublisher } from "./publisher.ts";

/** Builds the federation (see {@link FederationDeps}); pass it to the middleware and publisher. */
export function createFederation(deps: FederationDeps): Federation<void> {
  const federation = build(deps);
  rememberDeps(federation, deps);
  return federation;
}
