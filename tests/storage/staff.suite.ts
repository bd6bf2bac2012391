import { expect, it } from "vitest";
import type { NewStaffSession, StaffAccount, StaffSession } from "../../src/storage/staff.ts";
import type { Store } from "../../src/storage/store.ts";
import { type Backend, withStore } from "./backends.ts";

const T0 = Date.UTC(2024, 6, 1, 8, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function account(username: string, hash = `scrypt$32768$8$1$c2FsdA$${username}`): StaffAccount {
  return { username, passwordHash: hash, createdAt: at(0), roles: ["writer"], email: null };
}

function session(
  n: number,
  username: string,
  overrides: Partial<NewStaffSession> = {},
): NewStaffSession {
  return {
    id: `${n}`.padStart(64, "0"),
    username,
    csrfToken: `csrf-${n}`,
    createdAt: at(n),
    expiresAt: at(n + 60),
    ...overrides,
  };
}

/** A session as read back: with its account's roles (a writer's, unless given). */
function read(s: NewStaffSession, roles: StaffSession["roles"] = ["writer"]): StaffSession {
  return { ...s, roles };
}

/** The behaviour every {@link Store} shows for staff accounts, sessions and login failures. */
export function staffSuite(backend: Backend): void {
  it("keeps an account's roles and e-mail; a new one is a writer unless told", async () => {
    await withStore(backend, async (store) => {
      await store.putStaff({ username: "an", passwordHash: "h", createdAt: at(0) });
      await store.putStaff({
        username: "binh",
        passwordHash: "h",
        createdAt: at(0),
        roles: ["admin", "editor", "editor"],
        email: "binh@cualo.example",
      });
      expect(await store.getStaff("an")).toMatchObject({ roles: ["writer"], email: null });
      expect(await store.getStaff("binh")).toMatchObject({
        roles: ["editor", "admin"],
        email: "binh@cualo.example",
      });
      // A new password leaves the roles and the address as they were.
      await store.putStaff({ username: "binh", passwordHash: "h2", createdAt: at(1) });
      expect(await store.getStaff("binh")).toMatchObject({
        passwordHash: "h2",
        roles: ["editor", "admin"],
        email: "binh@cualo.example",
      });
      // Another admin, so binh is not the last one.
      await store.putStaff({ ...account("chi"), roles: ["admin"] });
      expect(await store.setStaffRoles("binh", ["moderator"])).toBe("changed");
      expect(await store.setStaffRoles("nobody", ["moderator"])).toBe("no-account");
      expect(await store.setStaffEmail("binh", null)).toBe(true);
      expect(await store.setStaffEmail("nobody", "x@example.org")).toBe(false);
      expect(await store.getStaff("binh")).toMatchObject({ roles: ["moderator"], email: null });
      await expect(store.setStaffRoles("binh", [])).rejects.toThrow(RangeError);
      expect((await store.getStaff("binh"))?.roles).toEqual(["moderator"]);
    });
  });

  it("reads a session with its account's roles as they are now", async () => {
    await withStore(backend, async (store) => {
      await store.putStaff({ ...account("thu"), roles: ["moderator"] });
      await store.createSession(session(1, "thu"));
      expect((await store.getSession(session(1, "thu").id, at(2)))?.roles).toEqual(["moderator"]);
    });
  });

  it("ends every session of an account at once: on a new password, new roles, or when asked", async () => {
    await withStore(backend, async (store) => {
      await store.putStaff(account("thu"));
      await store.putStaff(account("an"));
      const alive = async (n: number, who = "thu") =>
        (await store.getSession(session(n, who).id, at(5))) !== null;

      await store.createSession(session(1, "thu"));
      await store.createSession(session(2, "thu"));
      await store.createSession(session(3, "an"));
      await store.putStaff(account("thu", "scrypt$new"));
      expect([await alive(1), await alive(2), await alive(3, "an")]).toEqual([false, false, true]);

      await store.createSession(session(4, "thu"));
      await store.setStaffRoles("thu", ["editor"]);
      expect(await alive(4)).toBe(false);

      await store.createSession(session(5, "thu"));
      await store.createSession(session(6, "thu"));
      expect(await store.endSessions("thu")).toBe(2);
      expect([await alive(5), await alive(6), await alive(3, "an")]).toEqual([false, false, true]);
      expect(await store.endSessions("thu")).toBe(0);
    });
  });

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
      expect(await store.getSession(s.id, at(2))).toEqual(read(s));
      expect(await store.getSession(s.id, new Date(s.expiresAt.getTime() - 1))).toEqual(read(s));
      expect(await store.getSession(s.id, s.expiresAt)).toBeNull();
      expect(await store.getSession(s.id, at(1000))).toBeNull();
      expect(await store.getSession("unknown", at(2))).toBeNull();
      const other = session(2, "thu");
      await store.createSession(other);
      await store.deleteSession(s.id);
      expect(await store.getSession(s.id, at(3))).toBeNull();
      expect(await store.getSession(other.id, at(3))).toEqual(read(other));
    });
  });

  it("removes an account with its sessions, and says whether it existed", async () => {
    await withStore(backend, async (store) => {
      await store.putStaff(account("thu"));
      await store.putStaff(account("an"));
      await store.createSession(session(1, "thu"));
      await store.createSession(session(2, "thu"));
      await store.createSession(session(3, "an"));
      expect(await store.removeStaff("thu")).toBe("changed");
      expect(await store.removeStaff("thu")).toBe("no-account");
      expect(await store.getStaff("thu")).toBeNull();
      expect(await store.getSession(session(1, "thu").id, at(4))).toBeNull();
      expect(await store.getSession(session(2, "thu").id, at(4))).toBeNull();
      expect(await store.getSession(session(3, "an").id, at(4))).toEqual(read(session(3, "an")));
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

  it("counts a login attempt and checks its limits as one step, however many run at once", async () => {
    await withStore(backend, async (store) => {
      const limits = [
        { key: "user:thu", limit: 10 },
        { key: "addr:203.0.113.7", limit: 30 },
      ];
      const taken = await Promise.all(
        Array.from({ length: 50 }, () => store.takeLoginAttempt(limits, at(1), at(0))),
      );
      expect(taken.filter((t) => t === null)).toHaveLength(10);
      expect(new Set(taken.filter((t) => t !== null))).toEqual(new Set(["user:thu"]));
      expect(await store.countLoginFailures("addr:203.0.113.7", at(0))).toBe(10);
      // A success takes its own count back, one row only.
      await store.forgetLoginFailure("addr:203.0.113.7", at(1));
      expect(await store.countLoginFailures("addr:203.0.113.7", at(0))).toBe(9);
      // A lock refuses on its own.
      await store.recordLoginFailure("lock:user:an", at(2));
      expect(await store.takeLoginAttempt([{ key: "user:an", limit: 10 }], at(3), at(0))).toBe(
        "user:an",
      );
    });
  });

  it("knows a device until it expires or its account goes", async () => {
    await withStore(backend, async (store) => {
      await store.putStaff(account("thu"));
      const device = { id: "d".repeat(64), username: "thu", createdAt: at(0), expiresAt: at(100) };
      await store.addStaffDevice(device);
      expect(await store.getStaffDevice(device.id, at(1))).toEqual(device);
      expect(await store.getStaffDevice(device.id, at(100))).toBeNull();
      expect(await store.getStaffDevice("e".repeat(64), at(1))).toBeNull();
      await store.removeStaff("thu");
      expect(await store.getStaffDevice(device.id, at(1))).toBeNull();
    });
  });

  it("writes an account change and its audit record together", async () => {
    await withStore(backend, async (store) => {
      const entry = (action: string) => ({
        at: at(1),
        actor: "admin",
        action,
        subject: "thu",
        outcome: "ok" as const,
        address: "203.0.113.7",
        detail: null,
      });
      await store.putStaff(account("thu"), entry("staff.add"));
      await store.setStaffRoles("thu", ["editor"], entry("staff.roles"));
      await store.removeStaff("thu", entry("staff.remove"));
      // Nothing removed, nothing recorded.
      expect(await store.removeStaff("thu", entry("staff.remove"))).toBe("no-account");
      const page = await store.listAudit({ limit: 10 });
      expect(page.items.map((r) => r.action)).toEqual(["staff.remove", "staff.roles", "staff.add"]);
    });
  });

  it("refuses to take the admin role, or the account, from the last admin, and records nothing", async () => {
    await withStore(backend, async (store) => {
      const entry = (action: string, subject: string) => ({
        at: at(1),
        actor: "an",
        action,
        subject,
        outcome: "ok" as const,
        address: "203.0.113.7",
        detail: null,
      });
      await store.putStaff({ ...account("an"), roles: ["editor", "admin"] });
      await store.putStaff({ ...account("binh"), roles: ["admin"] });
      await store.putStaff(account("thu"));
      await store.createSession(session(1, "binh"));

      expect(await store.setStaffRoles("an", ["editor"], entry("staff.roles", "an"))).toBe(
        "changed",
      );
      expect(await store.setStaffRoles("binh", ["writer"], entry("staff.roles", "binh"))).toBe(
        "last-admin",
      );
      expect(await store.removeStaff("binh", entry("staff.remove", "binh"))).toBe("last-admin");
      expect((await store.getStaff("binh"))?.roles).toEqual(["admin"]);
      // A refused change ends no session either.
      expect(await store.getSession(session(1, "binh").id, at(2))).not.toBeNull();
      // Changes that keep an admin go ahead.
      expect(await store.setStaffRoles("binh", ["editor", "admin"])).toBe("changed");
      expect(await store.removeStaff("thu", entry("staff.remove", "thu"))).toBe("changed");
      expect(await store.setStaffRoles("nobody", ["writer"])).toBe("no-account");
      const records = (await store.listAudit({ limit: 10 })).items;
      expect(records.map((r) => [r.action, r.subject])).toEqual([
        ["staff.remove", "thu"],
        ["staff.roles", "an"],
      ]);
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
      expect(await second.store.getSession(session(1, "thu").id, at(2))).toEqual(
        read(session(1, "thu")),
      );
      expect(await second.store.countLoginFailures("addr:203.0.113.7", at(0))).toBe(1);
    } finally {
      await second.close();
    }
  });
}
