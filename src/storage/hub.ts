/**
 * WebSub subscriptions to our feeds (Loa is its own hub). Part of {@link Store}.
 */
import { getDomain } from "tldts";

/**
 * The registrable domain a callback's limits are counted under: `a.b.evil.example:8443`
 * and `evil.example:1` are both `evil.example` (ICANN suffixes of the Public
 * Suffix List); an IP literal, or a name with no public suffix, is its own domain.
 */
export function callbackDomain(callback: string | URL): string {
  let hostname: string;
  try {
    hostname = (typeof callback === "string" ? new URL(callback) : callback).hostname;
  } catch {
    return "";
  }
  const bare = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return getDomain(bare, { allowPrivateDomains: false }) ?? bare;
}

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
  /** The live (topic, callback) subscription, if any (one row, not the topic's list). */
  getSubscription(topic: string, callback: string, now: Date): Promise<HubSubscription | null>;
  /** Live subscriptions whose callback is under `domain` ({@link callbackDomain}). */
  countSubscriptionsForDomain(domain: string, now: Date): Promise<number>;
  /** All live subscriptions (metrics). */
  countSubscriptions(now: Date): Promise<number>;
  /** Deletes subscriptions whose lease ended before `now`. Returns how many. */
  expireSubscriptions(now: Date): Promise<number>;
}
