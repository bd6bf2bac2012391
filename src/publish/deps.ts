import type { KvStore } from "@fedify/fedify";
import type { Activity } from "@fedify/fedify/vocab";
import type { Clock } from "../clock.ts";
import type { ContentSource } from "../content/types.ts";
import type { Store } from "../storage/store.ts";
import type { Urls } from "../urls.ts";

/**
 * Signs and enqueues `activity` for every follower (once per shared inbox),
 * through the durable queue: the one way activities leave (the federation
 * provides it). `orderingKey` keeps one article's activities in order.
 */
export type SendToFollowers = (
  activity: Activity,
  options?: { orderingKey?: string },
) => Promise<void>;

/** What publishing needs, passed in. */
export interface PublishDeps {
  urls: Urls;
  content: ContentSource;
  store: Store;
  /** Where the profile's announcement state is kept. */
  kv: KvStore;
  clock: Clock;
  send: SendToFollowers;
}
