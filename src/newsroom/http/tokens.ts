/** The newsroom's secrets: session and CSRF tokens, made, stored hashed and compared. */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 32 random bytes, base64url: what a session or CSRF token is. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What a well-formed token looks like (43 base64url characters); anything else is not looked up. */
export function isToken(value: string | undefined): value is string {
  return value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** The session id stored for a cookie's token (SHA-256, hex): a copy of the store holds no usable cookie. */
export function sessionIdOf(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * True when `given` is `expected`, in time independent of where they differ
 * (both are hashed first, so their lengths leak nothing either).
 */
export function sameToken(given: string | undefined, expected: string): boolean {
  if (given === undefined || given === "") return false;
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}
