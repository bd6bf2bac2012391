/**
 * Rows of what each backend's `store.ts` keeps itself (followers and the publication
 * ledger), read back the same on both backends.
 */
import type { ArticleStore } from "./articles.ts";
import type { AuditStore } from "./audit.ts";
import type { DeliveryStore } from "./deliveries.ts";
import type { HubStore } from "./hub.ts";
import type { InteractionStore } from "./interactions.ts";
import type { OutboxStore } from "./outbox.ts";
import type { PasswordLinkStore } from "./password-links.ts";
import type { PictureStore } from "./pictures.ts";
import { maybeTime, type ReadTime } from "./rows.ts";
import type { StaffStore } from "./staff.ts";
import type { Follower, LedgerAction, LedgerEntry, Store } from "./store.ts";

/** What each backend's `store.ts` implements itself: followers, the ledger, leases, closing. */
export type CoreStore = Omit<
  Store,
  | keyof InteractionStore
  | keyof StaffStore
  | keyof DeliveryStore
  | keyof HubStore
  | keyof AuditStore
  | keyof ArticleStore
  | keyof PictureStore
  | keyof PasswordLinkStore
  | keyof OutboxStore
>;

export interface FollowerRow<T> {
  actor_id: string;
  follow_id: string;
  inbox: string;
  shared_inbox: string | null;
  created_at: T;
}

export interface LedgerRow<T> {
  slug: string;
  file: string;
  hash: string;
  action: string;
  activity_id: string;
  version: number;
  published: T;
  updated: T | null;
  queued_at: T | null;
}

export function toFollower<T>(time: ReadTime<T>, row: FollowerRow<T>): Follower {
  return {
    actorId: row.actor_id,
    followId: row.follow_id,
    inbox: row.inbox,
    sharedInbox: row.shared_inbox,
    createdAt: time(row.created_at),
  };
}

export function toLedgerEntry<T>(time: ReadTime<T>, row: LedgerRow<T>): LedgerEntry {
  return {
    slug: row.slug,
    file: row.file,
    hash: row.hash,
    action: row.action as LedgerAction,
    activityId: row.activity_id,
    version: Number(row.version),
    published: time(row.published),
    updated: maybeTime(time, row.updated),
    queuedAt: maybeTime(time, row.queued_at),
  };
}
