import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "../../../tests/storage/backends.ts";
import { openStorage, type Storage } from "../../storage/open.ts";
import {
  ACCOUNT_LIMIT,
  ADDRESS_LIMIT,
  createLoginThrottle,
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

/** `n` failures for `username` from `address`, a few seconds apart. */
async function fail(n: number, username: string | null, address: string) {
  for (let i = 0; i < n; i++) {
    await throttle.failed(username, address);
    now += 5_000;
  }
}

describe("the login throttle", () => {
  it("locks an account after 10 failures in 15 minutes, from every address, for 15 minutes", async () => {
    await fail(ACCOUNT_LIMIT - 1, "thu", "10.0.0.1");
    expect(await throttle.check("thu", "10.0.0.1")).toEqual({ allowed: true });
    await fail(1, "thu", "10.0.0.2");
    const locked = await throttle.check("thu", "10.0.0.9");
    expect(locked).toMatchObject({ allowed: false, locked: "account" });
    expect(await throttle.check("an", "10.0.0.9")).toEqual({ allowed: true });
    now += THROTTLE_WINDOW_MS - 10_000;
    expect((await throttle.check("thu", "10.0.0.9")).allowed).toBe(false);
    now += 15_000;
    expect(await throttle.check("thu", "10.0.0.9")).toEqual({ allowed: true });
  });

  it("keeps the lock its full 15 minutes even when the failures were spread out", async () => {
    // Nine failures long ago, the tenth 14 minutes later: the window alone would free it in a minute.
    await fail(ACCOUNT_LIMIT - 1, "thu", "10.0.0.1");
    now += 14 * MINUTE;
    await fail(1, "thu", "10.0.0.1");
    now += 5 * MINUTE;
    expect((await throttle.check("thu", "10.0.0.1")).allowed).toBe(false);
    now += 11 * MINUTE;
    expect(await throttle.check("thu", "10.0.0.1")).toEqual({ allowed: true });
  });

  it("forgets failures older than the window", async () => {
    await fail(ACCOUNT_LIMIT - 1, "thu", "10.0.0.1");
    now += THROTTLE_WINDOW_MS;
    await fail(ACCOUNT_LIMIT - 1, "thu", "10.0.0.1");
    expect(await throttle.check("thu", "10.0.0.1")).toEqual({ allowed: true });
  });

  it("a successful login clears the account's failures but not the address's", async () => {
    await fail(ACCOUNT_LIMIT - 1, "thu", "10.0.0.1");
    await fail(ADDRESS_LIMIT - ACCOUNT_LIMIT, "an", "10.0.0.1");
    await throttle.succeeded("thu");
    await fail(1, "thu", "10.0.0.2");
    expect(await throttle.check("thu", "10.0.0.2")).toEqual({ allowed: true });
    // 9 + 20 from 10.0.0.1; one more there makes 30.
    await fail(1, null, "10.0.0.1");
    expect(await throttle.check("binh", "10.0.0.1")).toMatchObject({
      allowed: false,
      locked: "address",
    });
  });

  it("locks an address after 30 failures over any accounts, names or not", async () => {
    for (let i = 0; i < ADDRESS_LIMIT - 1; i++)
      await fail(1, i % 2 ? `user${i}` : null, "10.0.0.7");
    expect(await throttle.check("thu", "10.0.0.7")).toEqual({ allowed: true });
    await fail(1, null, "10.0.0.7");
    expect(await throttle.check("thu", "10.0.0.7")).toMatchObject({
      allowed: false,
      locked: "address",
      retryAfterSeconds: THROTTLE_WINDOW_MS / 1000,
    });
    expect(await throttle.check("thu", "10.0.0.8")).toEqual({ allowed: true });
  });
});
