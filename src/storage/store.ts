/**
 * The project's own durable state: followers and the publication ledger, and
 * (through the parts it extends) interactions and blocks, staff accounts,
 * delivery progress, WebSub subscriptions, the audit trail and the mail outbox. One interface, implemented on
 * SQLite (embedded default) and PostgreSQL (scale-out); both run through one
 * shared test suite.
 */
import type { ArticleStore } from "./articles.ts";
import type { AuditStore } from "./audit.ts";
import type { Page } from "./cursor.ts";
import type { DeliveryStore } from "./deliveries.ts";
import type { HubStore } from "./hub.ts";
import type { InteractionStore } from "./interactions.ts";
import type { OutboxStore } from "./outbox.ts";
import type { PasswordLinkStore } from "./password-links.ts";
import type { PictureStore } from "./pictures.ts";
import type { StaffStore } from "./staff.ts";

export interface Follower {
  /** The follower's actor id (URL). */
  actorId: string;
  /** The id of the Follow activity that created this follow. */
  followId: string;
  inbox: string;
  sharedInbox: string | null;
  createdAt: Date;
}

export type LedgerAction = "create" | "update" | "delete";

/** What was last federated for one article. */
export interface LedgerEntry {
  slug: string;
  /** Content file it came from, relative to the content dir. */
  file: string;
  /** Hash of what was federated (see `Article.hash`); empty for a delete. */
  hash: string;
  /** The last action sent for this article. */
  action: LedgerAction;
  /** Deterministic id of the activity that carried it. */
  activityId: string;
  /** Monotonic per-article version, bumped on each update. */
  version: number;
  /** The Note's `published`. */
  published: Date;
  /** The Note's `updated` for an update; the deletion time for a delete. */
  updated: Date | null;
  /** When the activity was enqueued for delivery; null until then. */
  queuedAt: Date | null;
}

export interface Store
  extends InteractionStore,
    StaffStore,
    PasswordLinkStore,
    DeliveryStore,
    HubStore,
    AuditStore,
    ArticleStore,
    PictureStore,
    OutboxStore {
  /** Adds or refreshes a follower. Returns true if it was new. */
  addFollower(follower: Follower): Promise<boolean>;
  /** Removes a follower; with `followId`, only if that follow is the stored one. Returns true if removed. */
  removeFollower(actorId: string, followId?: string): Promise<boolean>;
  getFollower(actorId: string): Promise<Follower | null>;
  listFollowers(options: { cursor?: string | null; limit: number }): Promise<Page<Follower>>;
  countFollowers(): Promise<number>;

  getLedgerEntry(slug: string): Promise<LedgerEntry | null>;
  listLedger(): Promise<LedgerEntry[]>;
  /** Inserts or replaces the entry for `entry.slug`. */
  putLedgerEntry(entry: LedgerEntry): Promise<void>;

  /**
   * Takes or renews the named lease for `holder` for `ttlMs` milliseconds, so that
   * exactly one process does a job (e.g. reconciling `content/`). Returns true if
   * `holder` now holds it: it was free, expired, or already held by `holder`
   * (then it is renewed). Renew well before `ttlMs` runs out.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `holder` holds it; otherwise does nothing. */
  releaseLease(name: string, holder: string): Promise<void>;

  /** Closes the underlying database handle (shared with the KV store and queue). */
  close(): Promise<void>;
}
