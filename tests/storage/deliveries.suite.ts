import { expect, it } from "vitest";
import type { Store } from "../../src/storage/store.ts";
import { type Backend, withStore } from "./backends.ts";

const T0 = Date.UTC(2024, 6, 1, 8, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const activity = (n: number) => `https://town.example/articles/bai-${n}#create-1`;

const A = "https://a.example/inbox";
const B = "https://b.example:8443/inbox";
const C = "https://c.example/users/x/inbox";

async function progressOf(store: Store, activityId: string) {
  return (await store.listActivityProgress(50)).find((p) => p.activityId === activityId);
}

/** The behaviour every {@link Store} shows for delivery progress. */
export function deliveriesSuite(backend: Backend): void {
  it("follows each inbox from pending to delivered or failed, naming the failing hosts", async () => {
    await withStore(backend, async (store) => {
      await store.recordPending(activity(1), [A, B, C, A], at(0));
      expect(await store.countPendingDeliveries()).toBe(3);
      expect(await progressOf(store, activity(1))).toEqual({
        activityId: activity(1),
        firstAt: at(0),
        pending: 3,
        delivered: 0,
        failed: 0,
        failingHosts: [],
      });
      await store.recordDelivered(activity(1), A, at(1));
      // A failed attempt with retries left stays pending, its host named.
      await store.recordFailure(activity(1), B, "HTTP 503", false, at(2));
      await store.recordFailure(activity(1), C, "HTTP 410", true, at(3));
      expect(await progressOf(store, activity(1))).toEqual({
        activityId: activity(1),
        firstAt: at(0),
        pending: 1,
        delivered: 1,
        failed: 1,
        failingHosts: ["b.example:8443", "c.example"],
      });
      expect(await store.countPendingDeliveries()).toBe(1);
      // Both failures count as failing; changes before `since` do not.
      expect(await store.countFailingDeliveries(at(0))).toBe(2);
      expect(await store.countFailingDeliveries(at(3))).toBe(1);
      // The retry gets through: the host is no longer failing.
      await store.recordDelivered(activity(1), B, at(60));
      expect(await progressOf(store, activity(1))).toMatchObject({
        pending: 0,
        delivered: 2,
        failed: 1,
        failingHosts: ["c.example"],
      });
      expect(await store.countPendingDeliveries()).toBe(0);
      expect(await store.countFailingDeliveries(at(0))).toBe(1);
    });
  });

  it("never rewinds progress when an activity is recorded pending again", async () => {
    await withStore(backend, async (store) => {
      await store.recordPending(activity(1), [A, B], at(0));
      await store.recordDelivered(activity(1), A, at(1));
      await store.recordFailure(activity(1), B, "timeout", true, at(2));
      await store.recordPending(activity(1), [A, B, C], at(10));
      expect(await progressOf(store, activity(1))).toEqual({
        activityId: activity(1),
        firstAt: at(0),
        pending: 1,
        delivered: 1,
        failed: 1,
        failingHosts: ["b.example:8443"],
      });
    });
  });

  it("keeps a delivered inbox delivered when a late duplicate attempt fails", async () => {
    await withStore(backend, async (store) => {
      await store.recordPending(activity(1), [A], at(0));
      await store.recordDelivered(activity(1), A, at(1));
      await store.recordFailure(activity(1), A, "HTTP 500", false, at(2));
      await store.recordFailure(activity(1), A, "HTTP 500", true, at(3));
      expect(await progressOf(store, activity(1))).toMatchObject({
        pending: 0,
        delivered: 1,
        failed: 0,
        failingHosts: [],
      });
    });
  });

  it("shows a delivery whose pending record is missing", async () => {
    await withStore(backend, async (store) => {
      await store.recordDelivered(activity(7), A, at(5));
      await store.recordFailure(activity(8), C, "HTTP 404", false, at(6));
      expect(await store.listActivityProgress(10)).toEqual([
        {
          activityId: activity(8),
          firstAt: at(6),
          pending: 1,
          delivered: 0,
          failed: 0,
          failingHosts: ["c.example"],
        },
        {
          activityId: activity(7),
          firstAt: at(5),
          pending: 0,
          delivered: 1,
          failed: 0,
          failingHosts: [],
        },
      ]);
    });
  });

  it("lists the latest activities newest first, by when each was first recorded", async () => {
    await withStore(backend, async (store) => {
      for (const n of [2, 4, 1, 3]) await store.recordPending(activity(n), [A], at(n * 100));
      // Recording the oldest again does not make it new.
      await store.recordPending(activity(1), [B], at(1000));
      expect((await store.listActivityProgress(3)).map((p) => p.activityId)).toEqual([
        activity(4),
        activity(3),
        activity(2),
      ]);
      expect((await store.listActivityProgress(10)).map((p) => p.pending)).toEqual([1, 1, 1, 2]);
      expect(await store.listActivityProgress(10)).toHaveLength(4);
      await store.recordPending(activity(9), [], at(2000));
      expect(await store.listActivityProgress(10)).toHaveLength(4);
    });
  });

  it("records a fan-out to 2,000 inboxes", async () => {
    await withStore(backend, async (store) => {
      const inboxes = Array.from({ length: 2000 }, (_, n) => `https://s${n}.example/inbox`);
      await store.recordPending(activity(1), inboxes, at(0));
      for (const inbox of inboxes.slice(0, 500))
        await store.recordDelivered(activity(1), inbox, at(1));
      expect(await store.countPendingDeliveries()).toBe(1500);
      expect(await progressOf(store, activity(1))).toMatchObject({ pending: 1500, delivered: 500 });
    });
  });

  it("keeps delivery progress across a restart", async () => {
    const target = await backend.target();
    const first = await target.open();
    await first.store.recordPending(activity(1), [A, B], at(0));
    await first.store.recordFailure(activity(1), B, "HTTP 502", false, at(1));
    await first.close();
    const second = await target.open();
    try {
      expect(await second.store.listActivityProgress(5)).toEqual([
        {
          activityId: activity(1),
          firstAt: at(0),
          pending: 2,
          delivered: 0,
          failed: 0,
          failingHosts: ["b.example:8443"],
        },
      ]);
      expect(await second.store.countPendingDeliveries()).toBe(2);
    } finally {
      await second.close();
    }
  });
}
