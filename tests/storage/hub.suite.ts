import { expect, it } from "vitest";
import type { HubSubscription } from "../../src/storage/hub.ts";
import type { Store } from "../../src/storage/store.ts";
import { type Backend, withStore } from "./backends.ts";

const T0 = Date.UTC(2024, 6, 1, 8, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const RSS = "https://town.example/rss.xml";
const ATOM = "https://town.example/atom.xml";

function subscription(
  topic: string,
  callback: string,
  overrides: Partial<HubSubscription> = {},
): HubSubscription {
  return {
    topic,
    callback,
    secret: null,
    leaseSeconds: 3600,
    expiresAt: at(3600),
    createdAt: at(0),
    ...overrides,
  };
}

/** The behaviour every {@link Store} shows for WebSub subscriptions. */
export function hubSuite(backend: Backend): void {
  it("lists a topic's subscriptions, each (topic, callback) once, and removes one", async () => {
    await withStore(backend, async (store) => {
      const portal = subscription(RSS, "https://portal.example/websub/1", { secret: "bí mật" });
      const reader = subscription(RSS, "https://reader.example:8443/cb?feed=rss");
      const atom = subscription(ATOM, "https://portal.example/websub/1");
      for (const s of [reader, portal, atom]) await store.putSubscription(s);
      expect(await store.listSubscriptions(RSS, at(1))).toEqual([portal, reader]);
      expect(await store.listSubscriptions(ATOM, at(1))).toEqual([atom]);
      expect(await store.listSubscriptions("https://town.example/feed.json", at(1))).toEqual([]);
      expect(await store.countSubscriptions(at(1))).toBe(3);
      expect(await store.removeSubscription(RSS, portal.callback)).toBe(true);
      expect(await store.removeSubscription(RSS, portal.callback)).toBe(false);
      expect(await store.listSubscriptions(RSS, at(1))).toEqual([reader]);
      expect(await store.listSubscriptions(ATOM, at(1))).toEqual([atom]);
    });
  });

  it("renews a subscription in place: the new secret and lease replace the old", async () => {
    await withStore(backend, async (store) => {
      const first = subscription(RSS, "https://portal.example/cb", { secret: "old" });
      await store.putSubscription(first);
      const renewed = subscription(RSS, "https://portal.example/cb", {
        secret: null,
        leaseSeconds: 86_400,
        expiresAt: at(3000 + 86_400),
        createdAt: at(3000),
      });
      await store.putSubscription(renewed);
      expect(await store.listSubscriptions(RSS, at(4000))).toEqual([renewed]);
      expect(await store.countSubscriptions(at(4000))).toBe(1);
    });
  });

  it("leaves ended leases out, and deletes them when asked", async () => {
    await withStore(backend, async (store) => {
      const short = subscription(RSS, "https://a.example/cb", { expiresAt: at(10) });
      const long = subscription(RSS, "https://b.example/cb", { expiresAt: at(1000) });
      await store.putSubscription(short);
      await store.putSubscription(long);
      expect(await store.listSubscriptions(RSS, at(9))).toEqual([short, long]);
      expect(await store.listSubscriptions(RSS, at(10))).toEqual([long]);
      expect(await store.countSubscriptions(at(10))).toBe(1);
      expect(await store.countSubscriptionsForDomain("a.example", at(10))).toBe(0);
      expect(await store.getSubscription(RSS, "https://a.example/cb", at(10))).toBeNull();
      expect(await store.getSubscription(RSS, "https://b.example/cb", at(10))).toEqual(long);
      expect(await store.getSubscription(ATOM, "https://b.example/cb", at(10))).toBeNull();
      expect(await store.expireSubscriptions(at(10))).toBe(1);
      expect(await store.expireSubscriptions(at(10))).toBe(0);
      // Gone, not just hidden: an earlier clock does not bring it back.
      expect(await store.listSubscriptions(RSS, at(0))).toEqual([long]);
    });
  });

  it("counts live subscriptions per registrable domain, whatever the port or subdomain", async () => {
    await withStore(backend, async (store) => {
      await store.putSubscription(subscription(RSS, "https://portal.example/a"));
      await store.putSubscription(subscription(ATOM, "https://portal.example/b"));
      await store.putSubscription(subscription(RSS, "https://portal.example:8443/c"));
      await store.putSubscription(subscription(RSS, "https://a.b.portal.example:1/d"));
      await store.putSubscription(subscription(RSS, "https://other.example/portal.example"));
      await store.putSubscription(subscription(RSS, "http://[2001:db8::1]:8080/e"));
      expect(await store.countSubscriptionsForDomain("portal.example", at(1))).toBe(4);
      expect(await store.countSubscriptionsForDomain("Portal.Example", at(1))).toBe(4);
      expect(await store.countSubscriptionsForDomain("other.example", at(1))).toBe(1);
      expect(await store.countSubscriptionsForDomain("2001:db8::1", at(1))).toBe(1);
      expect(await store.countSubscriptionsForDomain("nobody.example", at(1))).toBe(0);
    });
  });

  it("keeps subscriptions across a restart", async () => {
    const target = await backend.target();
    const first = await target.open();
    const s = subscription(RSS, "https://portal.example/cb", { secret: "s3cret" });
    await first.store.putSubscription(s);
    await first.close();
    const second = await target.open();
    try {
      expect(await second.store.listSubscriptions(RSS, at(1))).toEqual([s]);
    } finally {
      await second.close();
    }
  });
}
