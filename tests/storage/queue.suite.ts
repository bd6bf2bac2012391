import { expect, it } from "vitest";
import type { Storage } from "../../src/storage/open.ts";
import { type Backend, delay, sleep, type Target, until } from "./backends.ts";

/**
 * Claims the next message from a separate connection with a short lease and
 * then drops that connection, as a worker killed mid-delivery would.
 */
export type CrashClaim = (target: Target, leaseMs: number) => Promise<unknown>;

async function withStorages(
  target: Target,
  count: number,
  fn: (storages: Storage[]) => Promise<void>,
): Promise<void> {
  const storages: Storage[] = [];
  try {
    for (let i = 0; i < count; i++) {
      storages.push(await target.open({ queue: { pollMs: 50, leaseMs: 300, workers: 4 } }));
    }
    await fn(storages);
  } finally {
    for (const storage of storages) await storage.close();
  }
}

function listen(storage: Storage, handler: (message: unknown) => Promise<void> | void) {
  const controller = new AbortController();
  const done = storage.lanes.delivery.listen(handler, { signal: controller.signal });
  return {
    async stop() {
      controller.abort();
      await done;
    },
    done,
    controller,
  };
}

/** At-least-once delivery and clean shutdown, beyond Fedify's conformance suite. */
export function queueSuite(backend: Backend, crashClaim: CrashClaim): void {
  it("redelivers a message whose worker died while handling it", async () => {
    const target = await backend.target();
    await withStorages(target, 1, async ([storage]) => {
      if (!storage) throw new Error("no storage");
      await storage.lanes.delivery.enqueue({ type: "outbox", inbox: "https://peer.example/inbox" });
      expect(await crashClaim(target, 300)).toEqual({
        type: "outbox",
        inbox: "https://peer.example/inbox",
      });
      expect(await storage.lanes.delivery.getDepth?.()).toMatchObject({ queued: 0 });
      const received: unknown[] = [];
      const listener = listen(storage, (m) => {
        received.push(m);
      });
      await until(() => received.length > 0);
      await listener.stop();
      expect(received).toEqual([{ type: "outbox", inbox: "https://peer.example/inbox" }]);
      expect(await storage.lanes.delivery.getDepth?.()).toEqual({
        queued: 0,
        ready: 0,
        delayed: 0,
      });
    });
  });

  it("hands on the next message of an ordering key as soon as the one before is done", async () => {
    const target = await backend.target();
    // A poll far longer than the test's timeout: only the wake-up on
    // completion can get the second message handled in time.
    const storage = await target.open({ queue: { pollMs: 120_000, leaseMs: 5_000, workers: 4 } });
    try {
      const received: unknown[] = [];
      const listener = listen(storage, (m) => {
        received.push(m);
      });
      await storage.lanes.delivery.enqueueMany?.(["tạo", "sửa", "xoá"], { orderingKey: "bai-1" });
      await until(() => received.length === 3, 10_000);
      await listener.stop();
      expect(received).toEqual(["tạo", "sửa", "xoá"]);
    } finally {
      await storage.close();
    }
  });

  it("keeps call order for many enqueue() calls made at once, as Fedify makes them", async () => {
    const target = await backend.target();
    const storage = await target.open({ queue: { pollMs: 50, leaseMs: 5_000, workers: 8 } });
    try {
      // 1,200 calls in one turn (more than one write batch), two ordering keys
      // interleaved and some messages without one: each key's messages must
      // come out in the order they were enqueued.
      const calls = Array.from({ length: 1200 }, (_, i) => {
        const key = i % 3 === 2 ? undefined : `bai-${i % 3}`;
        return storage.lanes.delivery.enqueue(
          { i, key: key ?? null },
          key ? { orderingKey: key } : {},
        );
      });
      await Promise.all(calls);
      expect(await storage.lanes.delivery.getDepth?.()).toMatchObject({ queued: 1200 });
      const received: { i: number; key: string | null }[] = [];
      const listener = listen(storage, (m) => {
        received.push(m as { i: number; key: string | null });
      });
      await until(() => received.length === 1200, 20_000);
      await listener.stop();
      for (const key of ["bai-0", "bai-1"]) {
        const order = received.filter((m) => m.key === key).map((m) => m.i);
        expect(order).toEqual([...order].sort((x, y) => x - y));
        expect(order).toHaveLength(400);
      }
      expect(new Set(received.map((m) => m.i)).size).toBe(1200);
    } finally {
      await storage.close();
    }
  });

  it("claims from one lane only: each lane's listener gets its own messages, in order", async () => {
    const target = await backend.target();
    // A poll far longer than the test: the lanes' own wake-ups must do.
    const storage = await target.open({ queue: { pollMs: 120_000, leaseMs: 5_000, workers: 4 } });
    try {
      const { inbox, delivery, hub } = storage.lanes;
      // One ordering key across lanes: a message waits only for its own lane's.
      await inbox.enqueue("vào-1", { orderingKey: "k" });
      await hub.enqueueMany(["xác-minh-1", "xác-minh-2"]);
      await delivery.enqueueMany(["gửi-1", "gửi-2"], { orderingKey: "k" });
      await inbox.enqueue("vào-2", { orderingKey: "k" });
      expect(await inbox.getDepth()).toMatchObject({ queued: 2 });
      expect(await hub.getDepth()).toMatchObject({ queued: 2 });
      const got: Record<string, unknown[]> = { inbox: [], delivery: [], hub: [] };
      const controller = new AbortController();
      const listening = (["inbox", "delivery", "hub"] as const).map((lane) =>
        storage.lanes[lane].listen(
          (m: unknown) => {
            got[lane]?.push(m);
          },
          { signal: controller.signal },
        ),
      );
      await until(() => Object.values(got).flat().length === 6, 10_000);
      controller.abort();
      await Promise.all(listening);
      expect(got).toEqual({
        inbox: ["vào-1", "vào-2"],
        delivery: ["gửi-1", "gửi-2"],
        hub: [expect.any(String), expect.any(String)],
      });
      expect((got.hub ?? []).sort()).toEqual(["xác-minh-1", "xác-minh-2"]);
      for (const lane of [inbox, delivery, hub]) {
        expect(await lane.getDepth()).toEqual({ queued: 0, ready: 0, delayed: 0 });
      }
    } finally {
      await storage.close();
    }
  });

  it("holds a delayed message back until it is due", async () => {
    const target = await backend.target();
    await withStorages(target, 1, async ([storage]) => {
      if (!storage) throw new Error("no storage");
      await storage.lanes.delivery.enqueue("sau", { delay: delay(800) });
      await storage.lanes.delivery.enqueue("ngay");
      expect(await storage.lanes.delivery.getDepth?.()).toEqual({
        queued: 2,
        ready: 1,
        delayed: 1,
      });
      const received: unknown[] = [];
      const listener = listen(storage, (m) => {
        received.push(m);
      });
      await until(() => received.length > 0);
      await sleep(200);
      expect(received).toEqual(["ngay"]);
      await until(() => received.length > 1);
      await listener.stop();
      expect(received).toEqual(["ngay", "sau"]);
    });
  });

  it("tells how long the longest-waiting due message has waited, leaving delayed ones out", async () => {
    const target = await backend.target();
    await withStorages(target, 1, async ([storage]) => {
      if (!storage) throw new Error("no storage");
      expect(await storage.lanes.delivery.oldestDueSeconds()).toBe(0);
      await storage.lanes.delivery.enqueue("sau", { delay: delay(3_600_000) });
      expect(await storage.lanes.delivery.oldestDueSeconds()).toBe(0);
      await storage.lanes.delivery.enqueue("ngay");
      await sleep(1100);
      const waited = await storage.lanes.delivery.oldestDueSeconds();
      expect(waited).toBeGreaterThanOrEqual(1);
      expect(waited).toBeLessThan(3600);
    });
  });

  it("never gives one message to two listeners at once, renewing long leases", async () => {
    const target = await backend.target();
    await withStorages(target, 2, async (storages) => {
      const active = new Set<number>();
      const handled = new Map<number, number>();
      let overlaps = 0;
      const handler = async (message: unknown) => {
        const n = message as number;
        if (active.has(n)) overlaps++;
        active.add(n);
        // Message 0 outlasts the 300 ms lease: only renewal keeps it claimed.
        await sleep(n === 0 ? 800 : 5);
        active.delete(n);
        handled.set(n, (handled.get(n) ?? 0) + 1);
      };
      const listeners = storages.map((storage) => listen(storage, handler));
      await storages[0]?.lanes.delivery.enqueueMany?.(Array.from({ length: 40 }, (_, i) => i));
      await until(() => handled.size === 40);
      await sleep(400); // room for a wrong second delivery of message 0 to show
      for (const listener of listeners) await listener.stop();
      expect(overlaps).toBe(0);
      expect([...handled.values()].every((count) => count === 1)).toBe(true);
    });
  });

  it("lets a shutdown finish the messages in hand before listen() resolves", async () => {
    const target = await backend.target();
    await withStorages(target, 1, async ([storage]) => {
      if (!storage) throw new Error("no storage");
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let started = false;
      let finished = false;
      const listener = listen(storage, async () => {
        started = true;
        await gate;
        finished = true;
      });
      await storage.lanes.delivery.enqueue("Giao hàng");
      await until(() => started);
      let resolved = false;
      listener.controller.abort();
      const stopping = listener.done.then(() => {
        resolved = true;
      });
      await sleep(100);
      expect(resolved).toBe(false);
      release();
      await stopping;
      expect(finished).toBe(true);
      // Handled, so deleted: nothing is left to send twice after the restart.
      expect(await storage.lanes.delivery.getDepth?.()).toEqual({
        queued: 0,
        ready: 0,
        delayed: 0,
      });
    });
  });

  it("drops a message whose handler throws and keeps serving (Fedify re-enqueues retries)", async () => {
    const target = await backend.target();
    await withStorages(target, 1, async ([storage]) => {
      if (!storage) throw new Error("no storage");
      const received: unknown[] = [];
      const listener = listen(storage, (m) => {
        received.push(m);
        if (m === "hỏng") throw new Error("boom");
      });
      await storage.lanes.delivery.enqueue("hỏng");
      await storage.lanes.delivery.enqueue("tốt");
      await until(() => received.includes("tốt"));
      await sleep(100);
      await listener.stop();
      expect(received.filter((m) => m === "hỏng")).toHaveLength(1);
      expect(await storage.lanes.delivery.getDepth?.()).toEqual({
        queued: 0,
        ready: 0,
        delayed: 0,
      });
    });
  });
}
