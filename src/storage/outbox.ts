/**
 * The newsroom's mail outbox: messages waiting to be sent by a mail server,
 * kept durably so a restart or a server that is down loses none. Part of
 * {@link Store}. A claim leases rows to one sender, so two processes sharing
 * a PostgreSQL database never send the same message twice.
 */

/** A message as the outbox keeps it. */
export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: Date;
  /** Claims so far, this one included once claimed. */
  attempts: number;
}

/** What an operator sees of a message given up on. */
export interface FailedMail extends OutboxMail {
  lastError: string;
}

export interface OutboxStore {
  /** Keeps a message, due at once. */
  enqueueMail(mail: Omit<OutboxMail, "attempts">): Promise<void>;
  /**
   * Leases up to `limit` due messages (due at `now`, not leased or their lease
   * run out) to `holder` until `now + leaseMs`, counting an attempt on each.
   * Atomic: a message is never held by two claimers at once.
   */
  claimMail(holder: string, now: Date, leaseMs: number, limit: number): Promise<OutboxMail[]>;
  /** Forgets a message `holder` sent. False when the lease was lost meanwhile. */
  markMailSent(id: string, holder: string): Promise<boolean>;
  /**
   * Records a failed attempt: due again at `retryAt`, or (null) given up on
   * and kept for the operator. False when the lease was lost meanwhile.
   */
  markMailFailed(id: string, holder: string, retryAt: Date | null, error: string): Promise<boolean>;
  /** Messages waiting (not given up on). */
  countPendingMail(): Promise<number>;
  /** Messages given up on, newest first. */
  listFailedMail(limit: number): Promise<FailedMail[]>;
  /** Forgets messages given up on that were queued before `before`. Returns how many. */
  forgetFailedMail(before: Date): Promise<number>;
}

/** The longest error text kept with a message. */
export const MAX_MAIL_ERROR = 500;
