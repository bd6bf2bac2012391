import { expect, it } from "vitest";
import type { AuditEntry } from "../../src/storage/audit.ts";
import type { NewPasswordLink } from "../../src/storage/password-links.ts";
import type { NewStaffAccount } from "../../src/storage/staff.ts";
import { type Backend, withStore } from "./backends.ts";

const T0 = Date.UTC(2024, 6, 1, 8, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

const member = (username: string): NewStaffAccount => ({
  username,
  passwordHash: `scrypt$locked$${username}`,
  createdAt: at(0),
  roles: ["writer"],
  email: `${username}@cualo.example`,
});

function link(n: number, username: string, purpose: NewPasswordLink["purpose"] = "welcome") {
  return {
    id: `${n}`.padStart(64, "a"),
    username,
    purpose,
    createdAt: at(n),
    expiresAt: at(n + 60),
  } satisfies NewPasswordLink;
}

const entry = (action: string, actor = "admin"): AuditEntry => ({
  at: at(1),
  actor,
  action,
  subject: "thu",
  outcome: "ok",
  address: "203.0.113.7",
  detail: null,
});

const session = (n: number, username: string) => ({
  id: `${n}`.padStart(64, "0"),
  username,
  csrfToken: `csrf-${n}`,
  createdAt: at(n),
  expiresAt: at(n + 600),
});

/** One-time password links on every {@link Store}: made with an account or a reset, used once, in time. */
export function passwordLinksSuite(backend: Backend): void {
  it("adds an account with its first link, and never over an existing account", async () => {
    await withStore(backend, async (store) => {
      expect(await store.addStaffWithLink(member("thu"), link(1, "thu"), entry("staff.add"))).toBe(
        true,
      );
      expect(await store.getStaff("thu")).toMatchObject({
        roles: ["writer"],
        email: "thu@cualo.example",
      });
      expect(await store.getPasswordLink(link(1, "thu").id)).toEqual({
        ...link(1, "thu"),
        usedAt: null,
      });
      const taken = { ...member("thu"), passwordHash: "other", roles: ["admin" as const] };
      expect(await store.addStaffWithLink(taken, link(2, "thu"), entry("staff.add"))).toBe(false);
      expect(await store.getStaff("thu")).toMatchObject({ passwordHash: "scrypt$locked$thu" });
      expect(await store.getPasswordLink(link(2, "thu").id)).toBeNull();
      const audit = await store.listAudit({ limit: 10 });
      expect(audit.items.map((r) => r.action)).toEqual(["staff.add"]);
    });
  });

  it("uses a link once, in time: sets the password and ends the account's sessions", async () => {
    await withStore(backend, async (store) => {
      await store.addStaffWithLink(member("thu"), link(1, "thu"));
      await store.createSession(session(2, "thu"));
      const id = link(1, "thu").id;
      const used = await store.usePasswordLink(
        id,
        "scrypt$new",
        at(5),
        entry("password.set", "thu"),
      );
      expect(used).toEqual({ ok: true, link: { ...link(1, "thu"), usedAt: at(5) } });
      expect((await store.getStaff("thu"))?.passwordHash).toBe("scrypt$new");
      expect(await store.getSession(session(2, "thu").id, at(6))).toBeNull();
      expect(await store.usePasswordLink(id, "scrypt$again", at(6))).toEqual({
        ok: false,
        reason: "used",
      });
      expect(await store.usePasswordLink("f".repeat(64), "scrypt$x", at(6))).toEqual({
        ok: false,
        reason: "unknown",
      });
      expect((await store.getStaff("thu"))?.passwordHash).toBe("scrypt$new");
      const audit = await store.listAudit({ limit: 10 });
      expect(audit.items.map((r) => r.action)).toEqual(["password.set"]);

      await store.addStaffWithLink(member("an"), link(3, "an"));
      // Used links are not waiting; an expired one still is (nobody set the password).
      expect(await store.unusedPasswordLinks()).toEqual([{ ...link(3, "an"), usedAt: null }]);
      expect(await store.usePasswordLink(link(3, "an").id, "scrypt$late", at(3 + 60))).toEqual({
        ok: false,
        reason: "expired",
      });
      expect((await store.getStaff("an"))?.passwordHash).toBe("scrypt$locked$an");
    });
  });

  it("lets exactly one of many simultaneous uses win", async () => {
    await withStore(backend, async (store) => {
      await store.addStaffWithLink(member("thu"), link(1, "thu"));
      const tries = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.usePasswordLink(link(1, "thu").id, `scrypt$try${i}`, at(2)),
        ),
      );
      const winners = tries.flatMap((t, i) => (t.ok ? [i] : []));
      expect(winners).toHaveLength(1);
      expect((await store.getStaff("thu"))?.passwordHash).toBe(`scrypt$try${winners[0]}`);
    });
  });

  it("forces a reset: the old password and sessions end at once, older links are void", async () => {
    await withStore(backend, async (store) => {
      await store.addStaffWithLink(member("thu"), link(1, "thu"));
      await store.usePasswordLink(link(1, "thu").id, "scrypt$chosen", at(2));
      await store.createSession(session(3, "thu"));
      const first = link(4, "thu", "reset");
      expect(await store.resetStaffPassword(first, "scrypt$locked2", entry("staff.reset"))).toBe(
        true,
      );
      expect((await store.getStaff("thu"))?.passwordHash).toBe("scrypt$locked2");
      expect(await store.getSession(session(3, "thu").id, at(5))).toBeNull();
      const second = link(5, "thu", "reset");
      await store.resetStaffPassword(second, "scrypt$locked3");
      expect(await store.usePasswordLink(first.id, "scrypt$old-link", at(6))).toEqual({
        ok: false,
        reason: "unknown",
      });
      expect((await store.usePasswordLink(second.id, "scrypt$fresh", at(6))).ok).toBe(true);
      expect(await store.resetStaffPassword(link(7, "nobody", "reset"), "x")).toBe(false);
      expect(await store.getPasswordLink(link(7, "nobody").id)).toBeNull();
      // A password set by the command line voids a link that waits.
      await store.resetStaffPassword(link(8, "thu", "reset"), "scrypt$locked4");
      await store.putStaff({ username: "thu", passwordHash: "scrypt$cli", createdAt: at(9) });
      expect((await store.usePasswordLink(link(8, "thu").id, "scrypt$late", at(9))).ok).toBe(false);
      const audit = await store.listAudit({ limit: 10 });
      expect(audit.items.map((r) => r.action)).toEqual(["staff.reset"]);
    });
  });

  it("removes an account's links with it; an e-mail change is written with its record", async () => {
    await withStore(backend, async (store) => {
      await store.addStaffWithLink(member("thu"), link(1, "thu"));
      expect(await store.setStaffEmail("thu", null, entry("staff.email"))).toBe(true);
      expect(await store.setStaffEmail("nobody", null, entry("staff.email"))).toBe(false);
      await store.removeStaff("thu");
      expect(await store.getPasswordLink(link(1, "thu").id)).toBeNull();
      const audit = await store.listAudit({ limit: 10 });
      expect(audit.items.map((r) => r.action)).toEqual(["staff.email"]);
    });
  });
}
