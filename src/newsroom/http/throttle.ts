/**
 * Login throttling, as the contract says, built so a stranger cannot turn it
 * against staff (OWASP's "slow down online guessing with device cookies"):
 *
 * - A browser that logged in to an account before carries a device cookie
 *   for it, and its attempts count against that device alone (10 failures
 *   in 15 minutes; after that it is a stranger again).
 * - Everyone else shares a limit per account (10 failures in 15 minutes,
 *   then 429 for 15 minutes from any address) and per address (30).
 *
 * Each attempt is counted before its password is checked, in one atomic
 * step of the store (`takeLoginAttempt`), and taken back when it succeeds:
 * however many guesses arrive at once, no more than the limit are checked.
 * Reaching a limit also records a lock (`lock:<key>`) that holds the full
 * 15 minutes; refused attempts are neither checked nor counted, so a guesser
 * learns nothing and cannot keep a lock going forever by knocking on it.
 * Counted in the store, so every web process on PostgreSQL sees the same.
 */
import type { Clock } from "../../clock.ts";
import type { LoginLimit, StaffStore } from "../../storage/staff.ts";

/** Failures looked back over, and how long a lock lasts. */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Failures for one account, without a device cookie, before it is locked. */
export const ACCOUNT_LIMIT = 10;
/** Failures from one address, without a device cookie, before it is locked. */
export const ADDRESS_LIMIT = 30;
/** Failures from one known device before it counts as a stranger. */
export const DEVICE_LIMIT = 10;

/** Who tries: `username` null when it cannot name an account; `device` a known device's id for it. */
export interface LoginAttemptInput {
  username: string | null;
  address: string;
  device: string | null;
}

/** An attempt that may be checked: say how it went. */
export interface LoginAttempt {
  allowed: true;
  /** True when it counts against the browser's device allowance, not the shared limits. */
  byDevice: boolean;
  /** The password was wrong (or the account unknown): the attempt stays counted. */
  failed(): Promise<void>;
  /** The login succeeded: its count is taken back, and the account's failures cleared. */
  succeeded(): Promise<void>;
}

export type LoginVerdict =
  | LoginAttempt
  | { allowed: false; locked: "account" | "address"; retryAfterSeconds: number };

export interface LoginThrottle {
  /** Counts the attempt, or refuses it, before any password is checked. */
  begin(input: LoginAttemptInput): Promise<LoginVerdict>;
}

export const accountKey = (username: string) => `user:${username}`;
export const addressKey = (address: string) => `addr:${address}`;
export const deviceKey = (device: string) => `device:${device}`;
const lockKey = (key: string) => `lock:${key}`;

type ThrottleStore = Pick<
  StaffStore,
  | "takeLoginAttempt"
  | "forgetLoginFailure"
  | "recordLoginFailure"
  | "countLoginFailures"
  | "clearLoginFailures"
>;

/** The throttle over the store's login failures. */
export function createLoginThrottle(deps: { store: ThrottleStore; clock: Clock }): LoginThrottle {
  const { store, clock } = deps;

  const attempt = (limits: readonly LoginLimit[], at: Date, byDevice: boolean): LoginAttempt => ({
    allowed: true,
    byDevice,
    async failed() {
      const since = new Date(at.getTime() - THROTTLE_WINDOW_MS);
      for (const { key, limit } of limits) {
        if ((await store.countLoginFailures(key, since)) >= limit) {
          await store.recordLoginFailure(lockKey(key), at);
        }
      }
    },
    async succeeded() {
      for (const { key } of limits) {
        if (key.startsWith("addr:")) {
          // Only this attempt is taken back: others from the same address still count.
          await store.forgetLoginFailure(key, at);
        } else {
          await store.clearLoginFailures(key);
          await store.clearLoginFailures(lockKey(key));
        }
      }
    },
  });

  return {
    async begin({ username, address, device }) {
      const at = clock();
      const since = new Date(at.getTime() - THROTTLE_WINDOW_MS);
      if (device !== null) {
        const own = [{ key: deviceKey(device), limit: DEVICE_LIMIT }];
        if ((await store.takeLoginAttempt(own, at, since)) === null) return attempt(own, at, true);
        // A device that used up its allowance is a stranger like any other.
      }
      const shared: LoginLimit[] = [
        ...(username === null ? [] : [{ key: accountKey(username), limit: ACCOUNT_LIMIT }]),
        { key: addressKey(address), limit: ADDRESS_LIMIT },
      ];
      const refused = await store.takeLoginAttempt(shared, at, since);
      if (refused === null) return attempt(shared, at, false);
      return {
        allowed: false,
        locked: refused.startsWith("user:") ? "account" : "address",
        // The store counts, it does not say when: the full window is the honest upper bound.
        retryAfterSeconds: THROTTLE_WINDOW_MS / 1000,
      };
    },
  };
}
