import { expect, it } from "vitest";
import type { Block } from "../../src/storage/interactions.ts";
import type { Follower, Store } from "../../src/storage/store.ts";
import { type Backend, withStore } from "./backends.ts";

function block(kind: Block["kind"], value: string, minute = 0): Block {
  return { kind, value, createdAt: new Date(Date.UTC(2024, 5, 1, 9, minute)), by: "thu" };
}

function follower(actorId: string): Follower {
  return {
    actorId,
    followId: `${actorId}#follow`,
    inbox: `${actorId}/inbox`,
    sharedInbox: null,
    createdAt: new Date(Date.UTC(2024, 0, 1)),
  };
}

/** The behaviour every {@link Store} shows for blocks of actors and domains. */
export function blocksSuite(backend: Backend): void {
  it("adds a block once, lists and removes it", async () => {
    await withStore(backend, async (store) => {
      const actor = block("actor", "https://spam.example/users/bot", 1);
      const domain = { ...block("domain", "spam.example", 2), by: null };
      expect(await store.addBlock(actor)).toBe(true);
      expect(await store.addBlock(domain)).toBe(true);
      expect(await store.addBlock({ ...actor, by: "someone-else" })).toBe(false);
      expect(await store.listBlocks()).toEqual([actor, domain]);
      expect(await store.removeBlock("actor", actor.value)).toBe(true);
      expect(await store.removeBlock("actor", actor.value)).toBe(false);
      // The same value as the other kind is another block.
      expect(await store.removeBlock("actor", "spam.example")).toBe(false);
      expect(await store.listBlocks()).toEqual([domain]);
    });
  });

  it("sees an actor as blocked when it, or its domain (any subdomain, any port), is", async () => {
    await withStore(backend, async (store) => {
      const bot = "https://spam.example/users/bot";
      expect(await store.isBlocked(bot)).toBe(false);
      await store.addBlock(block("actor", bot));
      expect(await store.isBlocked(bot)).toBe(true);
      expect(await store.isBlocked("https://spam.example/users/human")).toBe(false);

      await store.addBlock(block("domain", "Evil.Example"));
      expect(await store.isBlocked("https://evil.example/users/a")).toBe(true);
      expect(await store.isBlocked("https://EVIL.example:443/users/b")).toBe(true);
      expect(await store.isBlocked("https://evil.example:8443/users/c")).toBe(true);
      expect(await store.isBlocked("https://sub.evil.example/users/d")).toBe(true);
      expect(await store.isBlocked("http://a.b.evil.example:8080/users/e")).toBe(true);
      expect(await store.isBlocked("https://evil.example./users/f")).toBe(true);
      expect(await store.isBlocked("https://notevil.example/users/g")).toBe(false);
      expect(await store.isBlocked("https://evil.example.org/users/h")).toBe(false);

      // A block given with a port covers every port; a subdomain's block not its parent.
      await store.addBlock(block("domain", "b.ported.example:8443"));
      expect(await store.listBlocks()).toContainEqual(block("domain", "b.ported.example"));
      expect(await store.isBlocked("https://b.ported.example/users/e")).toBe(true);
      expect(await store.isBlocked("https://a.b.ported.example:8443/users/e")).toBe(true);
      expect(await store.isBlocked("https://ported.example/users/e")).toBe(false);
      expect(await store.removeBlock("domain", "b.ported.example:9999")).toBe(true);
      expect(await store.isBlocked("https://b.ported.example/users/e")).toBe(false);

      // Addresses match whole, never as a suffix.
      await store.addBlock(block("domain", "0.0.1"));
      expect(await store.isBlocked("http://127.0.0.1:8080/users/i")).toBe(false);
      await store.addBlock(block("domain", "127.0.0.1:9000"));
      expect(await store.isBlocked("http://127.0.0.1:8080/users/i")).toBe(true);
      await store.addBlock(block("domain", "[::1]"));
      expect(await store.isBlocked("http://[::1]:8080/users/j")).toBe(true);
      expect(await store.isBlocked("not a url")).toBe(false);
    });
  });

  it("removes the followers on a domain (its subdomains, every port), and only those", async () => {
    await withStore(backend, async (store) => {
      for (const id of [
        "https://spam.example/users/a",
        "https://spam.example/users/b",
        "https://spam.example:8443/users/c",
        "https://x.spam.example/users/d",
        "https://good.example/users/spam.example",
        "https://notspam.example/users/e",
      ]) {
        await store.addFollower(follower(id));
      }
      expect(await store.removeFollowersFromHost("x.spam.example")).toBe(1);
      expect(await store.removeFollowersFromHost("SPAM.example:8443")).toBe(3);
      expect(await store.removeFollowersFromHost("spam.example")).toBe(0);
      expect((await store.listFollowers({ limit: 10 })).items.map((f) => f.actorId)).toEqual([
        "https://good.example/users/spam.example",
        "https://notspam.example/users/e",
      ]);
    });
  });

  it("keeps blocks across a restart", async () => {
    const target = await backend.target();
    const first = await target.open();
    await first.store.addBlock(block("domain", "spam.example"));
    await first.close();
    const second = await target.open();
    try {
      expect(await second.store.listBlocks()).toEqual([block("domain", "spam.example")]);
      expect(await second.store.isBlocked("https://spam.example/users/x")).toBe(true);
    } finally {
      await second.close();
    }
  });
}
