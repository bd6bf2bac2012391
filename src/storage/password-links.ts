/**
 * One-time links that let a staff member set their own password: made when
 * an admin adds an account or forces a reset in the browser, so no admin
 * ever sees or chooses a member's password. Part of {@link StaffStore}.
 * Only the SHA-256 of a link's token is stored; a link is used once, expires,
 * and a newer link for the same account voids the older one.
 */
import type { AuditEntry } from "./audit.ts";
import type { NewStaffAccount } from "./staff.ts";

/** Why the link was made: a new account's first password, or a reset an admin forced. */
export type PasswordLinkPurpose = "welcome" | "reset";

export interface PasswordLink {
  /** SHA-256 (hex) of the link's token: a copy of the database opens no account. */
  id: string;
  username: string;
  purpose: PasswordLinkPurpose;
  createdAt: Date;
  expiresAt: Date;
  /** When the password was set through it; null while unused. */
  usedAt: Date | null;
}

/** What is stored for a new link. */
export type NewPasswordLink = Omit<PasswordLink, "usedAt">;

/** What using a link did: set the password, or nothing, and why. */
export type PasswordLinkUse =
  | { ok: true; link: PasswordLink }
  | { ok: false; reason: "unknown" | "used" | "expired" };

/** How long a used or expired link is kept, to tell its holder what became of it. */
export const PASSWORD_LINK_RETENTION_MS = 30 * 86_400_000;

export interface PasswordLinkStore {
  /**
   * Creates `account` with its first link, as one step with `audit`. Returns
   * false, changing nothing, when the username is taken (an existing
   * account's password is never replaced this way).
   */
  addStaffWithLink(
    account: NewStaffAccount,
    link: NewPasswordLink,
    audit?: AuditEntry,
  ): Promise<boolean>;
  /**
   * Forces a reset, as one step with `audit`: the account's password hash
   * becomes `lockedHash` (one nobody knows, so the old password stops
   * working at once), all its sessions end, older links are voided and
   * `link` is stored. Returns false, changing nothing, for an unknown account.
   */
  resetStaffPassword(
    link: NewPasswordLink,
    lockedHash: string,
    audit?: AuditEntry,
  ): Promise<boolean>;
  /** The link with this id (used, expired or not), or null. */
  getPasswordLink(id: string): Promise<PasswordLink | null>;
  /**
   * Every link not used yet, expired or not (at most one an account): the
   * accounts whose member has not set a password since an admin made it.
   */
  unusedPasswordLinks(): Promise<PasswordLink[]>;
  /**
   * Uses the link as one atomic step: when it is unused and not expired at
   * `now`, marks it used, sets the account's password hash, ends every
   * session of the account and writes `audit`. However many tries run at
   * once, one at most succeeds; the others change nothing.
   */
  usePasswordLink(
    id: string,
    passwordHash: string,
    now: Date,
    audit?: AuditEntry,
  ): Promise<PasswordLinkUse>;
}

/** Why a link that was not used could not be: from the stored row, if any. */
export function unusableReason(
  link: Pick<PasswordLink, "usedAt" | "expiresAt"> | null,
  now: Date,
): "unknown" | "used" | "expired" | null {
  if (link === null) return "unknown";
  if (link.usedAt !== null) return "used";
  if (link.expiresAt.getTime() <= now.getTime()) return "expired";
  return null;
}
