/**
 * What a staff account's fields may be, checked the same way wherever they
 * are typed (the command line, `/admin/staff`, the login form): a refusal is
 * a sentence for the person who typed it.
 */
import { MAX_EMAIL_LENGTH } from "../storage/staff.ts";

/** 1 to 64 of a-z, 0-9, `_`, `.`, `-` (typed names are lower-cased first). */
export const USERNAME_PATTERN = /^[a-z0-9_.-]{1,64}$/;

/** The shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;

/** A typed username, lower-cased and trimmed, or null when it cannot name an account. */
export function usernameOf(typed: string | undefined): string | null {
  const name = (typed ?? "").trim().toLowerCase();
  return USERNAME_PATTERN.test(name) ? name : null;
}

/**
 * A plausible e-mail address (one `@`, a dot in the domain, nothing a mail
 * header could be split on), trimmed, or null. Whether it receives mail is
 * for the mail server to say.
 */
export function emailOf(typed: string | undefined): string | null {
  const address = (typed ?? "").trim();
  if (address.length > MAX_EMAIL_LENGTH) return null;
  return /^[^\s@<>()[\],;:"\\]+@[^\s@<>()[\],;:"\\]+\.[^\s@<>()[\],;:"\\]+$/.test(address)
    ? address
    : null;
}

/** True when `password` is long enough (counted in characters, not bytes). */
export function longEnough(password: string): boolean {
  return [...password].length >= MIN_PASSWORD_LENGTH;
}
