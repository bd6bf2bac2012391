import type { KvStore, MessageQueue } from "@fedify/fedify";
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { ContentSource } from "../content/types.ts";
import type { Store } from "../storage/store.ts";
import type { Urls } from "../urls.ts";
import type { DeliveryOutcome } from "./delivery-tracking.ts";
import type { ActorKeys } from "./keys.ts";

/** Everything the federation part needs, passed in (no singletons). */
export interface FederationDeps {
  config: Config;
  urls: Urls;
  content: ContentSource;
  store: Store;
  kv: KvStore;
  /**
   * The lanes of the durable queue Fedify is given (`storage/lanes.ts`):
   * deliveries (its outbox and fan-out) and, where incoming activities are
   * queued, the inbox.
   */
  lanes: { delivery: MessageQueue; inbox?: MessageQueue };
  keys: ActorKeys;
  clock: Clock;
  /**
   * Called after a reply, like or boost of an article was stored, changed or
   * removed (`slug` null: possibly several articles), so its page is
   * rendered again.
   */
  onInteraction: (slug: string | null) => void;
  /** Each delivery attempt's outcome, by inbox (metrics). */
  observeDelivery: (outcome: DeliveryOutcome, inbox: string) => void;
  /** When true, the queue is started by `startQueue()` (main.ts does, per role). */
  manuallyStartQueue?: boolean;
}

/** The actor's identifier is its username from `site.yml`. */
export function actorIdentifier(deps: Pick<FederationDeps, "content">): string {
  return deps.content.current().site.actor.username;
}
