/** Rows of WebSub subscriptions, read back the same on both backends. */
import type { HubSubscription } from "./hub.ts";
import type { ReadTime } from "./rows.ts";

/** A row of `hub_subscriptions`. */
export interface SubscriptionRow<T> {
  topic: string;
  callback: string;
  secret: string | null;
  lease_seconds: number;
  expires_at: T;
  created_at: T;
}

export function toSubscription<T>(time: ReadTime<T>, row: SubscriptionRow<T>): HubSubscription {
  return {
    topic: row.topic,
    callback: row.callback,
    secret: row.secret,
    leaseSeconds: Number(row.lease_seconds),
    expiresAt: time(row.expires_at),
    createdAt: time(row.created_at),
  };
}
