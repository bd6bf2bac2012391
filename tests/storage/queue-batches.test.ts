/**
 * The queue's fan-out machinery on both backends: several messages claimed in
 * one statement without breaking ordering keys, a full group's messages left
 * in the queue rather than in a worker, and (SQLite) an enqueue on one handle
 * waking a listener on another at once.
 */
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import type { Storage } from "../../src/storage/open.ts";
import { sqlitePath } from "../../src/storage/open.ts";
import { claimMany as claimPostgres } from "../../src/storage/postgres/queue.ts";
import type { GroupedListenOptions } from "../../src/storage/queue-listener.ts";
import { openSqlite } from "../../src/storage/sqlite/open.ts";
import { claimMany as claimSqlite } from "../../src/storage/sqlite/queue.ts";
import { type Backend, backends, delay, sleep, type Target, until } from "./backends.ts";

/** Claims up to `max` messages from a connection of its own. */
async function claimFrom(backend: Backend, target: Target, max: number): Promise<unknown[]> {
  if (backend.name === "sqlite") {
    const db = openSqlite(sqlitePath(target.dataDir));
    try {
      return claimSqlite(db, crypto.randomUUID(), 30_000, max).map((c) => c.message);
    } finally {
      db.close();
    }
  }
  const sql = postgres(target.databaseUrl as string, { max: 1, onnotice: () => {} });
  try {
    return (await claimPostgres(sql, crypto.randomUUID(), 30_000, max)).map((c) => c.message);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function listen(
  storage: Storage,
  handler: (message: unknown) => Promise<void> | void,
  options: GroupedListenOptions = {},
) {
  const controller = new AbortController();
  const done = storage.lanes.delivery.listen(handler, { ...options, signal: controller.signal });
  return async () => {
    controller.abort();
    await done;
  };
}

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`queue batches on ${backend.name}`, () => {
    it("claims several ready messages at once, only the first of each ordering key", async () => {
      const target = await backend.target();
      const storage = await target.open();
      try {
        await storage.lanes.delivery.enqueue("tự do 1");
        await storage.lanes.delivery.enqueueMany?.(["tạo", "sửa"], { orderingKey: "bai-1" });
        await storage.lanes.delivery.enqueue("tự do 2");
        await storage.lanes.delivery.enqueue("sau", { delay: delay(60_000) });
        const first = await claimFrom(backend, target, 10);
        expect([...first].sort()).toEqual(["tạo", "tự do 1", "tự do 2"]);
        // Claimed messages are leased: a second claim finds nothing more that is ready
        // ("sửa" waits behind "tạo", which is still in the table).
        expect(await claimFrom(backend, target, 10)).toEqual([]);
      } finally {
        await storage.close();
      }
    });

    it("leaves a message whose group is full in the queue, not in a worker", async () => {
      const target = await backend.target();
      const storage = await target.open({ queue: { pollMs: 50, leaseMs: 5_000, workers: 2 } });
      try {
        let release = () => {};
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const started: string[] = [];
        const finished: string[] = [];
        const stop = listen(
          storage,
          async (message) => {
            const m = message as { name: string; server: string };
            started.push(m.name);
            if (m.name === "a1") await gate;
            finished.push(m.name);
          },
          { groupOf: (m) => (m as { server: string }).server, perGroup: 1 },
        );
        await storage.lanes.delivery.enqueueMany?.([
          { name: "a1", server: "a.example" },
          { name: "a2", server: "a.example" },
          { name: "a3", server: "a.example" },
          { name: "b1", server: "b.example" },
        ]);
        // Two workers: a1 holds one, and the other is not taken by a2 or a3
        // (same server) but serves b1.
        await until(() => finished.includes("b1"));
        await sleep(300);
        expect(started.filter((n) => n.startsWith("a"))).toEqual(["a1"]);
        release();
        await until(() => finished.length === 4, 10_000);
        await stop();
        expect(finished.slice(0, 2).sort()).toEqual(["a1", "b1"]);
        expect(await storage.lanes.delivery.getDepth?.()).toEqual({
          queued: 0,
          ready: 0,
          delayed: 0,
        });
      } finally {
        await storage.close();
      }
    });

    it.skipIf(backend.name !== "sqlite")(
      "wakes a listener on another handle of the same file at once",
      async () => {
        const target = await backend.target();
        // A poll far longer than the test: only the wake-up can get it handled in time.
        const listening = await target.open({ queue: { pollMs: 120_000, workers: 1 } });
        const enqueuing = await target.open();
        try {
          const received: unknown[] = [];
          const stop = listen(listening, (m) => {
            received.push(m);
          });
          await sleep(100);
          await enqueuing.lanes.delivery.enqueue("tin mới");
          await until(() => received.length === 1, 5_000);
          await stop();
          expect(received).toEqual(["tin mới"]);
        } finally {
          await enqueuing.close();
          await listening.close();
        }
      },
    );
  });
}
