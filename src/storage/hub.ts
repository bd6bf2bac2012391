/**
 * WebSub subscriptions to our feeds (Loa is its own hub). Part of {@link Store}.
 */

export interface HubSubscription {
  /** One of our feed URLs. */
  topic: string;
  callback: string;
  /** The subscriber's `hub.secret`, for `X-Hub-Signature`; null without one. */
  secret: string | null;
  leaseSeconds: number;
  /** When the lease ends; the subscription is gone after it. */
  expiresAt: Date;
  createdAt: Date;
}

export interface HubStore {
  /** Creates or renews the (topic, callback) subscription. */
  putSubscription(subscription: HubSubscription): Promise<void>;
  removeSubscription(topic: string, callback: string): Promise<boolean>;
  /** Verified subscriptions to `topic` whose lease has not ended at `now`. */
  listSubscriptions(topic: string, now: Date): Promise<HubSubscription[]>;
  /** Live subscriptions whose callback is on `host` (limits per host). */
  countSubscriptionsForHost(host: string, now: Date): Promise<number>;
  /** All live subscriptions (metrics). */
  countSubscriptions(now: Date): Promise<number>;
  /** Deletes subscriptions whose lease ended before `now`. Returns how many. */
  expireSubscriptions(now: Date): Promise<number>;
}
