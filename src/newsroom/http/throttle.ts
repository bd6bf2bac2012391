/**
 * Login throttling, as the contract says: 10 failed logins for one account
 * within 15 minutes refuse that account for 15 minutes from any address;
 * 30 from one address refuse that address. Counted in the store, so every
 * web process on PostgreSQL sees the same counts.
 *
 * The sliding count alone would let an account in again as soon as its
 * oldest failure is 15 minutes old, possibly minutes after the tenth; so
 * reaching the limit also records a lock (under `lock:<key>`), and a lock
 * younger than 15 minutes refuses. Refused attempts are not checked nor
 * counted: a guesser learns nothing, and cannot keep the lock going forever
 * by knocking on it.
 */
import type { Clock } from "../../clock.ts";
import type { StaffStore } from "../../storage/staff.ts";

/** Failures looked back over, and how long a lock lasts. */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Failures for one account before it is locked. */
export const ACCOUNT_LIMIT = 10;
/** Failures from one address before it is locked. */
export const ADDRESS_LIMIT = 30;

/** May this attempt be checked, and if not, who is locked and for how long. */
export type ThrottleVerdict =
  | { allowed: true }
  | { allowed: false; locked: "account" | "address"; retryAfterSeconds: number };

/** What the login route asks and tells. */
export interface LoginThrottle {
  /** Before checking a password: `username` is null when it cannot name an account. */
  check(username: string | null, address: string): Promise<ThrottleVerdict>;
  /** A wrong password (or unknown account): counts against both. */
  failed(username: string | null, address: string): Promise<void>;
  /** A successful login clears the account's failures (not the address's). */
  succeeded(username: string): Promise<void>;
}

const accountKey = (username: string) => `user:${username}`;
const addressKey = (address: string) => `addr:${address}`;
const lockKey = (key: string) => `lock:${key}`;

/** The throttle over the store's login failures. */
export function createLoginThrottle(deps: {
  store: Pick<StaffStore, "recordLoginFailure" | "countLoginFailures" | "clearLoginFailures">;
  clock: Clock;
}): LoginThrottle {
  const { store, clock } = deps;
  /** Seconds until `key` is free again, or 0 when it is not locked. */
  const lockedFor = async (key: string, limit: number): Promise<number> => {
    const now = clock().getTime();
    const since = new Date(now - THROTTLE_WINDOW_MS);
    const [locks, failures] = await Promise.all([
      store.countLoginFailures(lockKey(key), since),
      store.countLoginFailures(key, since),
    ]);
    // The store counts, it does not say when: the full window is the honest upper bound.
    return locks > 0 || failures >= limit ? THROTTLE_WINDOW_MS / 1000 : 0;
  };
  const fail = async (key: string, limit: number) => {
    const at = clock();
    await store.recordLoginFailure(key, at);
    const failures = await store.countLoginFailures(
      key,
      new Date(at.getTime() - THROTTLE_WINDOW_MS),
    );
    if (failures >= limit) await store.recordLoginFailure(lockKey(key), at);
  };
  return {
    async check(username, address) {
      const [account, byAddress] = await Promise.all([
        username === null ? 0 : lockedFor(accountKey(username), ACCOUNT_LIMIT),
        lockedFor(addressKey(address), ADDRESS_LIMIT),
      ]);
      if (account > 0) return { allowed: false, locked: "account", retryAfterSeconds: account };
      if (byAddress > 0) return { allowed: false, locked: "address", retryAfterSeconds: byAddress };
      return { allowed: true };
    },
    async failed(username, address) {
      await Promise.all([
        username === null ? undefined : fail(accountKey(username), ACCOUNT_LIMIT),
        fail(addressKey(address), ADDRESS_LIMIT),
      ]);
    },
    async succeeded(username) {
      await Promise.all([
        store.clearLoginFailures(accountKey(username)),
        store.clearLoginFailures(lockKey(accountKey(username))),
      ]);
    },
  };
}
