/**
 * The newsroom's accounts, sessions and login throttling. Part of
 * {@link Store}, so sessions work across web processes on PostgreSQL.
 */

import type { AuditEntry } from "./audit.ts";

/** How long a failed login is kept: throttling looks back minutes, not days. */
export const LOGIN_FAILURE_RETENTION_MS = 86_400_000;

/**
 * What a staff member may do (the contract's "Roles"): a `writer` writes and
 * submits, an `editor` also approves and publishes, a `moderator` answers
 * the town's replies, followers and blocks, an `admin` may do everything and
 * manages staff and reads the audit trail.
 */
export type StaffRole = "writer" | "editor" | "moderator" | "admin";

/** Every role, in the order they are shown. */
export const STAFF_ROLES: readonly StaffRole[] = ["writer", "editor", "moderator", "admin"];

/** A role a new account gets when none is named: the one that can do least harm. */
export const DEFAULT_ROLE: StaffRole = "writer";

/** The longest e-mail address stored (RFC 5321's path limit). */
export const MAX_EMAIL_LENGTH = 254;

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === "string" && (STAFF_ROLES as readonly string[]).includes(value);
}

/** `roles` without repeats, in {@link STAFF_ROLES} order, unknown names dropped. */
export function normalizeRoles(roles: Iterable<string>): StaffRole[] {
  const given = new Set(roles);
  return STAFF_ROLES.filter((role) => given.has(role));
}

export interface StaffAccount {
  username: string;
  /** Self-describing hash (`scrypt$N$r$p$salt$hash`), never the password. */
  passwordHash: string;
  createdAt: Date;
  /** At least one; an account made before roles existed is an `admin`. */
  roles: StaffRole[];
  /** Where the newsroom's mail goes, or null. */
  email: string | null;
}

/** A new account (or a new password): roles default to {@link DEFAULT_ROLE}, no e-mail. */
export type NewStaffAccount = Omit<StaffAccount, "roles" | "email"> & {
  roles?: readonly StaffRole[];
  email?: string | null;
};

export interface StaffSession {
  /** SHA-256 (hex) of the cookie's token: a stolen database holds no usable session. */
  id: string;
  username: string;
  /** The session's CSRF token, sent back in every state-changing form. */
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
  /** The account's roles as they are now (read with the session, never stored with it). */
  roles: StaffRole[];
}

/** What is stored for a new session; its roles are the account's. */
export type NewStaffSession = Omit<StaffSession, "roles">;

/** One counter a login attempt is counted under, and the failures it allows. */
export interface LoginLimit {
  /** `user:<name>`, `addr:<ip>` or `device:<id>`; `lock:<key>` records a lock. */
  key: string;
  limit: number;
}

/** A browser that logged in to an account before (its cookie's token, stored hashed). */
export interface StaffDevice {
  /** SHA-256 (hex) of the device cookie's token. */
  id: string;
  username: string;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * How a change to an account ended: it was made, there is no such account, or
 * it was refused because it would leave no account with the `admin` role.
 */
export type StaffChange = "changed" | "no-account" | "last-admin";

export interface StaffStore {
  /**
   * Creates the account (with `roles` and `email`), or replaces the password
   * hash of an existing one, ends all its sessions and voids its one-time
   * password links (its roles and e-mail stay). Returns true when new.
   */
  putStaff(account: NewStaffAccount, audit?: AuditEntry): Promise<boolean>;
  getStaff(username: string): Promise<StaffAccount | null>;
  /**
   * Removes the account, its sessions and devices. Refuses (`"last-admin"`)
   * when it is the only admin: the count and the removal are one transaction,
   * so two admins removing each other at once cannot both pass. `audit` is
   * written with the change, and not when nothing changed.
   */
  removeStaff(username: string, audit?: AuditEntry): Promise<StaffChange>;
  listStaff(): Promise<StaffAccount[]>;
  /**
   * Replaces the account's roles (normalized; at least one) and ends all its
   * sessions. Refuses (`"last-admin"`) to take `admin` from the only admin,
   * checked in the transaction that changes the row, as {@link removeStaff}
   * does. `audit` is written with the change, and not when nothing changed.
   */
  setStaffRoles(
    username: string,
    roles: readonly StaffRole[],
    audit?: AuditEntry,
  ): Promise<StaffChange>;
  /** Sets or clears the account's e-mail address. Returns false when there is no such account. */
  setStaffEmail(username: string, email: string | null, audit?: AuditEntry): Promise<boolean>;

  /** Stores a new session (and forgets those expired by `session.createdAt`). */
  createSession(session: NewStaffSession, audit?: AuditEntry): Promise<void>;
  /** The session with its account's roles, or null when unknown or expired at `now`. */
  getSession(id: string, now: Date): Promise<StaffSession | null>;
  deleteSession(id: string, audit?: AuditEntry): Promise<void>;
  /** Ends every session of `username` at once. Returns how many there were. */
  endSessions(username: string, audit?: AuditEntry): Promise<number>;

  /** Remembers a browser that logged in to `device.username` (and forgets expired ones). */
  addStaffDevice(device: StaffDevice): Promise<void>;
  /** The device, or null when unknown, expired at `now`, or its account is gone. */
  getStaffDevice(id: string, now: Date): Promise<StaffDevice | null>;

  /**
   * Counts one login attempt, as one atomic step: when any of `limits` has
   * `limit` or more failures at or after `since`, or a lock (`lock:<key>`)
   * then, answers that key and records nothing; otherwise records one
   * failure under every key (taken back by {@link forgetLoginFailure} when
   * the attempt succeeds) and answers null. However many attempts run at
   * once, no more than `limit` get past one key in the window.
   */
  takeLoginAttempt(
    limits: readonly LoginLimit[],
    at: Date,
    since: Date,
    audit?: AuditEntry,
  ): Promise<string | null>;
  /** Takes back one failure recorded under `key` at `at`. */
  forgetLoginFailure(key: string, at: Date): Promise<void>;

  /**
   * Records one failed login under `key` (`user:<name>` or `addr:<ip>`).
   * Failures more than a day old may be forgotten (throttling looks back minutes).
   */
  recordLoginFailure(key: string, at: Date, audit?: AuditEntry): Promise<void>;
  /** Failed logins under `key` at or after `since`. */
  countLoginFailures(key: string, since: Date): Promise<number>;
  /** Forgets `key`'s failures (after a successful login). */
  clearLoginFailures(key: string): Promise<void>;
}

/** Roles as stored: their names joined by commas. */
export function rolesToText(roles: readonly StaffRole[]): string {
  const normalized = normalizeRoles(roles);
  if (normalized.length === 0) throw new RangeError("a staff account needs at least one role");
  return normalized.join(",");
}

/** Roles as read back; a name this version does not know grants nothing. */
export function rolesFromText(text: string): StaffRole[] {
  return normalizeRoles(text.split(","));
}
