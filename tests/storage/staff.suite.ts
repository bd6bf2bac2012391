import { expect, it } from "vitest";
import type { StaffAccount, StaffSession } from "../../src/storage/staff.ts";
import type { Store } from "../../src/storage/store.ts";
import { type Backend, withStore } from "./backends.ts";

const T0 = Date.UTC(2024, 6, 1, 8, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function account(username: string, hash = `scrypt$32768$8$1$c2FsdA$${username}`): StaffAccount {
  return { username, passwordHash: hash, createdAt: at(0) };
}

function session(n: number, username: string, overrides: Partial<StaffSession> = {}): StaffSession {
  return {
    id: `${n}`.padStart(64, "0"),
    username,
    csrfToken: `csrf-${n}`,
    createdAt: at(n),
    expiresAt: at(n + 60),
    ...overrides,
  };
}

/** The behaviour every {@link Store} shows for staff accounts, sessions and login failures. */
export function staffSuite(backend: Backend): void {
  it("creates an account, replaces its password hash, lists and reads accounts", async () => {
    await withStore(backend, async (store) => {
      expect(await store.putStaff(account("thu"))).toBe(true);
      expect(await store.putStaff(account("an"))).toBe(true);
      const reset = { ...account("thu", "scrypt$32768$8$1$bmV3$new"), createdAt: at(500) };
      expect(await store.putStaff(reset)).toBe(false);
      // A reset changes the password, not when the account was made.
      expect(await store.getStaff("thu")).toEqual({ ...reset, createdAt: at(0) });
      expect(await store.listStaff()).toEqual([account("an"), { ...reset, createdAt: at(0) }]);
      expect(await store.getStaff("nobody")).toBeNull();
    });
  });

  it("finds a session until it expires, and not after it is deleted", async () => {
    await withStore(backend, async (store) => {
      await store.putStaff(account("thu"));
      const s = session(1, "thu");
      await store.createSession(s);
      expect(await store.getSession(s.id, at(2))).toEqual(s);
      expect(await store.getSession(s.id, new Date(s.expiresAt.getTime() - 1))).toEqual(s);
      expect(await store.getSession(s.id, s.expiresAt)).toBeNull();
      expect(await store.getSession(s.id, at(1000))).toBeNull();
      expect(await store.getSession("unknown", at(2))).toBeNull();
      const other = session(2, "thu");
      await store.createSession(other);
      await store.deleteSession(s.id);
      expect(await store.getSession(s.id, at(3))).toBeNull();
      expect(await store.getSession(other.id, at(3))).toEqual(other);
    });
  });

  it("removes an account with its sessions, and says whether it existed", async () => {
    await withStore(backend, async (store) => {
      await store.putStaff(account("thu"));
      await store.putStaff(account("an"));
      await store.createSession(session(1, "thu"));
      await store.createSession(session(2, "thu"));
      await store.createSession(session(3, "an"));
      expect(await store.removeStaff("thu")).toBe(true);
      expect(await store.removeStaff("thu")).toBe(false);
      expect(await store.getStaff("thu")).toBeNull();
      expect(await store.getSession(session(1, "thu").id, at(4))).toBeNull();
      expect(await store.getSession(session(2, "thu").id, at(4))).toBeNull();
      expect(await store.getSession(session(3, "an").id, at(4))).toEqual(session(3, "an"));
      // Back again, the account starts with no session.
      await store.putStaff(account("thu"));
      expect(await store.getSession(session(1, "thu").id, at(4))).toBeNull();
    });
  });

  it("counts failed logins per key since a time, and forgets a key's on success", async () => {
    await withStore(backend, async (store) => {
      for (const minute of [0, 5, 10, 14]) await store.recordLoginFailure("user:thu", at(minute));
      await store.recordLoginFailure("addr:203.0.113.7", at(14));
      expect(await store.countLoginFailures("user:thu", at(0))).toBe(4);
      expect(await store.countLoginFailures("user:thu", at(5))).toBe(3);
      expect(await store.countLoginFailures("user:thu", at(15))).toBe(0);
      expect(await store.countLoginFailures("user:an", at(0))).toBe(0);
      await store.clearLoginFailures("user:thu");
      expect(await store.countLoginFailures("user:thu", at(0))).toBe(0);
      expect(await store.countLoginFailures("addr:203.0.113.7", at(0))).toBe(1);
    });
  });

  it("keeps accounts and sessions across a restart", async () => {
    const target = await backend.target();
    const first = await target.open();
    await first.store.putStaff(account("thu"));
    await first.store.createSession(session(1, "thu"));
    await first.store.recordLoginFailure("addr:203.0.113.7", at(1));
    await first.close();
    const second = await target.open();
    try {
      expect(await second.store.getStaff("thu")).toEqual(account("thu"));
      expect(await second.store.getSession(session(1, "thu").id, at(2))).toEqual(session(1, "thu"));
      expect(await second.store.countLoginFailures("addr:203.0.113.7", at(0))).toBe(1);
    } finally {
      await second.close();
    }
  });
}
