import { createFederation, type Federation } from "@fedify/fedify";
import { registerActor } from "./actor.ts";
import { registerCollections } from "./collections.ts";
import { registerConversationCollections } from "./conversation-collections.ts";
import type { DeliveryTracking } from "./delivery-tracking.ts";
import type { FederationDeps } from "./deps.ts";
import { fedifyOptions, handlePermanentFailures } from "./fedify-options.ts";
import { registerInbox } from "./inbox.ts";
import { registerMove } from "./move.ts";
import { registerNodeInfo } from "./nodeinfo.ts";
import { registerObjects } from "./objects.ts";
import { registerQuoteAuthorizations } from "./quotes.ts";
import { repeatableInbox } from "./repeatable-inbox.ts";
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
  const inbox = repeatableInbox(deps.kv);
  const federation = createFederation<RequestData>(
    fedifyOptions({ ...deps, kv: inbox.kv }, tracking),
  );
  registerActor(federation, deps);
  registerCollections(federation, deps);
  registerConversationCollections(federation, deps);
  registerObjects(federation, deps);
  registerMove(federation, deps);
  registerQuoteAuthorizations(federation, deps);
  registerNodeInfo(federation, deps);
  registerInbox(federation, deps, inbox.allowRepeat);
  handlePermanentFailures(federation, deps, tracking);
  return federation;
}
