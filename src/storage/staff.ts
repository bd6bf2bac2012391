/**
 * The newsroom's accounts, sessions and login throttling. Part of
 * {@link Store}, so sessions work across web processes on PostgreSQL.
 */

/** How long a failed login is kept: throttling looks back minutes, not days. */
export const LOGIN_FAILURE_RETENTION_MS = 86_400_000;

export interface StaffAccount {
  username: string;
  /** Self-describing hash (`scrypt$N$r$p$salt$hash`), never the password. */
  passwordHash: string;
  createdAt: Date;
}

export interface StaffSession {
  /** SHA-256 (hex) of the cookie's token: a stolen database holds no usable session. */
  id: string;
  username: string;
  /** The session's CSRF token, sent back in every state-changing form. */
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface StaffStore {
  /** Creates the account, or replaces its password hash. Returns true when new. */
  putStaff(account: StaffAccount): Promise<boolean>;
  getStaff(username: string): Promise<StaffAccount | null>;
  /** Removes the account and its sessions. Returns true when it existed. */
  removeStaff(username: string): Promise<boolean>;
  listStaff(): Promise<StaffAccount[]>;

  /** Stores a new session (and forgets those expired by `session.createdAt`). */
  createSession(session: StaffSession): Promise<void>;
  /** The session, or null when unknown or expired at `now`. */
  getSession(id: string, now: Date): Promise<StaffSession | null>;
  deleteSession(id: string): Promise<void>;

  /**
   * Records one failed login under `key` (`user:<name>` or `addr:<ip>`).
   * Failures more than a day old may be forgotten (throttling looks back minutes).
   */
  recordLoginFailure(key: string, at: Date): Promise<void>;
  /** Failed logins under `key` at or after `since`. */
  countLoginFailures(key: string, since: Date): Promise<number>;
  /** Forgets `key`'s failures (after a successful login). */
  clearLoginFailures(key: string): Promise<void>;
}
