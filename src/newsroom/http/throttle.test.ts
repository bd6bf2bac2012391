import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "../../../tests/storage/backends.ts";
import { openStorage, type Storage } from "../../storage/open.ts";
import {
  ACCOUNT_LIMIT,
  ADDRESS_LIMIT,
  createLoginThrottle,
  DEVICE_LIMIT,
  type LoginAttemptInput,
  type LoginThrottle,
  THROTTLE_WINDOW_MS,
} from "./throttle.ts";

const MINUTE = 60_000;
let storage: Storage;
let now: number;
let throttle: LoginThrottle;

beforeEach(async () => {
  storage = await openStorage({ dataDir: tempDir(), databaseUrl: undefined });
  now = Date.parse("2021-03-18T08:00:00Z");
  throttle = createLoginThrottle({ store: storage.store, clock: () => new Date(now) });
});
afterEach(() => storage.close());

const who = (username: string | null, address: string, device: string | null = null) =>
  ({ username, address, device }) satisfies LoginAttemptInput;

/** Whether an attempt may be checked now (and if so, it is taken back as a success would). */
async function check(username: string | null, address: string, device: string | null = null) {
  const verdict = await throttle.begin(who(username, address, device));
  if (!verdict.allowed) return verdict;
  await verdict.succeeded();
  return { allowed: true as const, byDevice: verdict.byDevice };
}

/** `n` failed attempts, a few seconds apart. */
async function fail(
  n: number,
  username: string | null,
  address: string,
  device: string | null = null,
) {
  for (let i = 0; i < n; i++) {
    const verdict = await throttle.begin(who(username, address, device));
    if (verdict.allowed) await verdict.failed();
    now += 5_000;
  }
}

/** Checks without clearing anything: a success clears the account's failures. */
async function allowed(username: string | null, address: string, device: string | null = null) {
  const verdict = await throttle.begin(who(username, address, device));
  if (verdict.allowed) await storage.store.forgetLoginFailure(`addr:${address}`, new Date(now));
  return verdict;
}

describe("the login throttle", () => {
  it("locks an account after 10 failures in 15 minutes, from every address, for 15 minutes", async () => {
    await fail(ACCOUNT_LIMIT - 1, "thu", "10.0.0.1");
    await fail(1, "thu", "10.0.0.2");
    expect(await allowed("thu", "10.0.0.9")).toMatchObject({ allowed: false, locked: "account" });
    expect((await allowed("an", "10.0.0.9")).allowed).toBe(true);
    now += THROTTLE_WINDOW_MS - 10_000;
    expect((await allowed("thu", "10.0.0.9")).allowed).toBe(false);
    now += 15_000;
    expect(await check("thu", "10.0.0.9")).toMatchObject({ allowed: true });
  });

  it("keeps the lock its full 15 minutes even when the failures were spread out", async () => {
    await fail(ACCOUNT_LIMIT - 1, "thu", "10.0.0.1");
    now += 14 * MINUTE;
    await fail(1, "thu", "10.0.0.1");
    now += 5 * MINUTE;
    expect((await allowed("thu", "10.0.0.1")).allowed).toBe(false);
    now += 11 * MINUTE;
    expect((await check("thu", "10.0.0.1")).allowed).toBe(true);
  });

  it("forgets failures older than the window", async () => {
    await fail(ACCOUNT_LIMIT - 1, "thu", "10.0.0.1");
    now += THROTTLE_WINDOW_MS;
    await fail(ACCOUNT_LIMIT - 1, "thu", "10.0.0.1");
    expect((await check("thu", "10.0.0.1")).allowed).toBe(true);
  });

  it("a successful login clears the account's failures, and only its own count of the address", async () => {
    await fail(ACCOUNT_LIMIT - 1, "thu", "10.0.0.1");
    for (let i = 0; i < ADDRESS_LIMIT - ACCOUNT_LIMIT; i++) await fail(1, `an${i}`, "10.0.0.1");
    expect((await check("thu", "10.0.0.2")).allowed).toBe(true);
    await fail(1, "thu", "10.0.0.2");
    expect((await allowed("thu", "10.0.0.2")).allowed).toBe(true);
    // 9 + 20 from 10.0.0.1, the successful attempt not counted; one more makes 30.
    await fail(1, null, "10.0.0.1");
    expect(await allowed("binh", "10.0.0.1")).toMatchObject({ allowed: false, locked: "address" });
  });

  it("locks an address after 30 failures over any accounts, names or not", async () => {
    for (let i = 0; i < ADDRESS_LIMIT - 1; i++)
      await fail(1, i % 2 ? `user${i}` : null, "10.0.0.7");
    expect((await allowed("thu", "10.0.0.7")).allowed).toBe(true);
    await fail(1, null, "10.0.0.7");
    expect(await allowed("thu", "10.0.0.7")).toMatchObject({
      allowed: false,
      locked: "address",
      retryAfterSeconds: THROTTLE_WINDOW_MS / 1000,
    });
    expect((await allowed("thu", "10.0.0.8")).allowed).toBe(true);
  });

  it("lets a known device in while strangers have locked the account, until it fails 10 times itself", async () => {
    await fail(ACCOUNT_LIMIT, "thu", "10.0.0.1");
    await fail(ADDRESS_LIMIT, null, "10.0.0.2");
    expect((await allowed("thu", "10.0.0.2")).allowed).toBe(false);
    expect(await check("thu", "10.0.0.2", "laptop")).toEqual({ allowed: true, byDevice: true });
    // Its own mistakes count against itself only.
    await fail(DEVICE_LIMIT - 1, "thu", "10.0.0.2", "laptop");
    expect(await check("thu", "10.0.0.2", "laptop")).toEqual({ allowed: true, byDevice: true });
    await fail(DEVICE_LIMIT, "thu", "10.0.0.2", "laptop");
    // Then it is a stranger, and the account is locked for strangers.
    expect(await allowed("thu", "10.0.0.2", "laptop")).toMatchObject({ allowed: false });
  });

  it("lets no more than the limit through when 300 attempts arrive at once", async () => {
    const verdicts = await Promise.all(
      Array.from({ length: 300 }, () => throttle.begin(who("thu", "10.0.0.1"))),
    );
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(ACCOUNT_LIMIT);
  });
});
