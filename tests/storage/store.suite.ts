import { describe, expect, it } from "vitest";
import type { Follower, LedgerEntry } from "../../src/storage/store.ts";
import { type Backend, sleep } from "./backends.ts";

function follower(n: number, overrides: Partial<Follower> = {}): Follower {
  return {
    actorId: `https://social.example/users/u${n}`,
    followId: `https://social.example/follows/${n}`,
    inbox: `https://social.example/users/u${n}/inbox`,
    sharedInbox: "https://social.example/inbox",
    createdAt: new Date(Date.UTC(2024, 0, 1, 0, 0, n)),
    ...overrides,
  };
}

function entry(slug: string, overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    slug,
    file: `articles/${slug}.md`,
    hash: "sha256-abc",
    action: "create",
    activityId: `https://town.example/articles/${slug}#create-1`,
    version: 1,
    published: new Date("2021-03-18T08:00:00.000Z"),
    updated: null,
    queuedAt: null,
    ...overrides,
  };
}

/** The behaviour every {@link Store} implementation must show. */
export function storeSuite(backend: Backend): void {
  describe("followers", () => {
    it("adds, refreshes and reads a follower, keeping when it first followed", async () => {
      const { store } = await (await backend.target()).open();
      try {
        expect(await store.addFollower(follower(1))).toBe(true);
        const refreshed = follower(1, {
          followId: "https://social.example/follows/again",
          inbox: "https://social.example/users/u1/inbox2",
          sharedInbox: null,
          createdAt: new Date("2030-01-01T00:00:00Z"),
        });
        expect(await store.addFollower(refreshed)).toBe(false);
        expect(await store.getFollower(follower(1).actorId)).toEqual({
          ...refreshed,
          createdAt: follower(1).createdAt,
        });
        expect(await store.getFollower("https://social.example/users/nobody")).toBeNull();
        expect(await store.countFollowers()).toBe(1);
      } finally {
        await store.close();
      }
    });

    it("removes a follower only for the stored follow when a follow id is given", async () => {
      const { store } = await (await backend.target()).open();
      try {
        await store.addFollower(follower(1));
        await store.addFollower(follower(2));
        expect(await store.removeFollower(follower(1).actorId, "https://other/follow")).toBe(false);
        expect(await store.removeFollower(follower(1).actorId, follower(1).followId)).toBe(true);
        expect(await store.removeFollower(follower(2).actorId)).toBe(true);
        expect(await store.removeFollower(follower(2).actorId)).toBe(false);
        expect(await store.countFollowers()).toBe(0);
      } finally {
        await store.close();
      }
    });

    it("pages through followers in follow order, each exactly once", async () => {
      const { store } = await (await backend.target()).open();
      try {
        // Two share a timestamp: the actor id breaks the tie.
        for (const n of [3, 1, 5, 2, 4]) await store.addFollower(follower(n));
        await store.addFollower(follower(6, { createdAt: follower(5).createdAt }));
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await store.listFollowers({ cursor, limit: 2 });
          seen.push(...page.items.map((f) => f.actorId));
          cursor = page.next;
          pages++;
        } while (cursor !== null && pages < 10);
        expect(seen).toEqual([1, 2, 3, 4, 5, 6].map((n) => follower(n).actorId));
        expect(pages).toBe(3);
        expect(await store.listFollowers({ cursor: "not-a-cursor", limit: 2 })).toEqual({
          items: [],
          next: null,
        });
      } finally {
        await store.close();
      }
    });

    it("keeps followers across a restart", async () => {
      const target = await backend.target();
      const first = await target.open();
      await first.store.addFollower(follower(7));
      await first.close();
      const second = await target.open();
      try {
        expect(await second.store.getFollower(follower(7).actorId)).toEqual(follower(7));
      } finally {
        await second.close();
      }
    });
  });

  describe("publication ledger", () => {
    it("stores, replaces and lists entries by slug, with Vietnamese text intact", async () => {
      const target = await backend.target();
      const { store, close } = await target.open();
      try {
        expect(await store.getLedgerEntry("le-hoi")).toBeNull();
        const slug = "lễ-hội-cửa-lò";
        await store.putLedgerEntry(entry(slug));
        await store.putLedgerEntry(entry("a-first"));
        const updated = entry(slug, {
          action: "update",
          hash: "sha256-def",
          activityId: `https://town.example/articles/${slug}#update-2`,
          version: 2,
          updated: new Date("2021-03-19T01:02:03.456Z"),
          queuedAt: new Date("2021-03-19T01:02:04.000Z"),
        });
        await store.putLedgerEntry(updated);
        expect(await store.getLedgerEntry(slug)).toEqual(updated);
        expect((await store.listLedger()).map((e) => e.slug)).toEqual(["a-first", slug]);
      } finally {
        await close();
      }
      const reopened = await target.open();
      try {
        expect((await reopened.store.getLedgerEntry("lễ-hội-cửa-lò"))?.version).toBe(2);
      } finally {
        await reopened.close();
      }
    });
  });

  describe("leases", () => {
    it("lets one holder at a time hold a lease, renew it and give it up", async () => {
      const { store, close } = await (await backend.target()).open();
      try {
        expect(await store.acquireLease("reconcile", "a", 60_000)).toBe(true);
        expect(await store.acquireLease("reconcile", "b", 60_000)).toBe(false);
        expect(await store.acquireLease("reconcile", "a", 60_000)).toBe(true);
        expect(await store.acquireLease("other", "b", 60_000)).toBe(true);
        await store.releaseLease("reconcile", "b");
        expect(await store.acquireLease("reconcile", "b", 60_000)).toBe(false);
        await store.releaseLease("reconcile", "a");
        expect(await store.acquireLease("reconcile", "b", 60_000)).toBe(true);
      } finally {
        await close();
      }
    });

    it("hands an expired lease to another holder", async () => {
      const { store, close } = await (await backend.target()).open();
      try {
        expect(await store.acquireLease("reconcile", "crashed", 50)).toBe(true);
        await sleep(150);
        expect(await store.acquireLease("reconcile", "next", 60_000)).toBe(true);
        expect(await store.acquireLease("reconcile", "crashed", 50)).toBe(false);
      } finally {
        await close();
      }
    });
  });

  it("opens the same database from several processes at once (schema set up once)", async () => {
    const target = await backend.target();
    const opened = await Promise.all([target.open(), target.open(), target.open()]);
    try {
      await opened[0]?.store.addFollower(follower(1));
      expect(await opened[2]?.store.countFollowers()).toBe(1);
    } finally {
      for (const storage of opened) await storage.close();
    }
  });
}
