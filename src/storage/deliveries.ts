/**
 * Where each activity stands with each receiving server, for the newsroom,
 * `npm run status` and metrics. Part of {@link Store}.
 */

export type DeliveryState = "pending" | "delivered" | "failed";

export interface Delivery {
  activityId: string;
  /** The inbox (shared inbox where there is one) it goes to. */
  inbox: string;
  state: DeliveryState;
  /** Attempts made so far (0 while waiting for the first). */
  attempts: number;
  /** The last failure's reason (HTTP status or error), null after success. */
  lastError: string | null;
  updatedAt: Date;
}

export interface ActivityProgress {
  activityId: string;
  /** When its first delivery was recorded. */
  firstAt: Date;
  pending: number;
  delivered: number;
  failed: number;
  /** Hosts (with port when not the default) of inboxes whose last attempt failed, pending or given up. */
  failingHosts: string[];
}

export interface DeliveryStore {
  /**
   * Records the deliveries of an activity as pending (one per inbox). An
   * existing row is left as it is, so a re-enqueue never rewinds progress.
   */
  recordPending(activityId: string, inboxes: readonly string[], at: Date): Promise<void>;
  /** Marks one delivery delivered. */
  recordDelivered(activityId: string, inbox: string, at: Date): Promise<void>;
  /**
   * Records a failed attempt; `final` means retries ran out (state `failed`),
   * else it stays `pending` with the error noted.
   */
  recordFailure(
    activityId: string,
    inbox: string,
    error: string,
    final: boolean,
    at: Date,
  ): Promise<void>;
  /** The latest `limit` activities (by first record), newest first, with their progress. */
  listActivityProgress(limit: number): Promise<ActivityProgress[]>;
  /** Deliveries not yet delivered nor given up. */
  countPendingDeliveries(): Promise<number>;
  /**
   * Deliveries whose last attempt failed (still retrying, or given up) and
   * that changed at or after `since`: what the newsroom's first page shows
   * a moderator as failing.
   */
  countFailingDeliveries(since: Date): Promise<number>;
}
