import { createFederation, type Federation } from "@fedify/fedify";
import { registerActor } from "./actor.ts";
import { registerCollections } from "./collections.ts";
import { registerConversationCollections } from "./conversation-collections.ts";
import type { DeliveryTracking } from "./delivery-tracking.ts";
import type { FederationDeps } from "./deps.ts";
import { fedifyOptions, handlePermanentFailures } from "./fedify-options.ts";
import { registerInbox } from "./inbox.ts";
import { registerNodeInfo } from "./nodeinfo.ts";
import { registerObjects } from "./objects.ts";
import type { RequestData } from "./request-data.ts";

/**
 * Configures Fedify: actor, WebFinger, NodeInfo, collections, Notes at the
 * article URLs, and the inbox. Delivery goes through `deps.queue` (durable),
 * so a dead peer never fails a local action.
 */
export function configureFedify(
  deps: FederationDeps,
  tracking: DeliveryTracking,
): Federation<RequestData> {
  const federation = createFederation<RequestData>(fedifyOptions(deps, tracking));
  registerActor(federation, deps);
  registerCollections(federation, deps);
  registerConversationCollections(federation, deps);
  registerObjects(federation, deps);
  registerNodeInfo(federation, deps);
  registerInbox(federation, deps);
  handlePermanentFailures(federation, deps, tracking);
  return federation;
}
