import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeContentDir, type TempContent } from "../../tests/fixtures/content/make-dir.ts";
import { openContent } from "../content/source.ts";
import type { ContentSource } from "../content/types.ts";
import { openStorage, type Storage } from "../storage/open.ts";
import { createHealth, healthResponse } from "./health.ts";
import { contentCheck, queueCheck, storeCheck, watchConsumer } from "./health-checks.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function storage(): Promise<Storage> {
  const dataDir = await mkdtemp(join(tmpdir(), "loa-health-"));
  const opened = await openStorage({ dataDir, databaseUrl: undefined });
  let closed = false;
  cleanups.push(async () => {
    if (!closed) await opened.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    ...opened,
    close: async () => {
      closed = true;
      await opened.close();
    },
  };
}

async function content(): Promise<ContentSource> {
  const dir: TempContent = await makeContentDir();
  const source = await openContent(dir.dir, { watch: false });
  cleanups.push(async () => {
    await source.close();
    await dir.cleanup();
  });
  return source;
}

describe("liveness", () => {
  it("answers 200 ok without running any check", async () => {
    let calls = 0;
    const health = createHealth({
      checks: {
        store: async () => {
          calls++;
          return { ok: true };
        },
      },
    });
    const live = health.liveness();
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: "ok" });
    const response = healthResponse(live);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(calls).toBe(0);
  });
});

describe("readiness", () => {
  it("is ready when the store answers and the content is loaded", async () => {
    const { store } = await storage();
    const source = await content();
    const health = createHealth({
      checks: { store: storeCheck(store), content: contentCheck(() => source.current()) },
    });
    const ready = await health.readiness();
    expect(ready).toEqual({
      ok: true,
      status: 200,
      body: { status: "ok", checks: { store: "ok", content: "ok" } },
    });
  });

  it("says the store failed when its database is closed, and still reports the other checks", async () => {
    const opened = await storage();
    const source = await content();
    const health = createHealth({
      checks: { store: storeCheck(opened.store), content: contentCheck(() => source.current()) },
    });
    expect((await health.readiness()).ok).toBe(true);

    await opened.close();
    const ready = await health.readiness();
    expect(ready.ok).toBe(false);
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe("unavailable");
    expect(ready.body.checks.content).toBe("ok");
    // The reason is the store's own error, whatever the driver calls it.
    const error: unknown = await opened.store.countFollowers().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(ready.body.checks.store).toBe((error as Error).message);
    expect(ready.body.checks.store).not.toBe("ok");

    const response = healthResponse(ready);
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual(ready.body);
  });

  it("is unavailable until the content is loaded", async () => {
    let source: ContentSource | null = null;
    const health = createHealth({
      checks: { content: contentCheck(() => source?.current() ?? null) },
    });
    const before = await health.readiness();
    expect(before.status).toBe(503);
    expect(before.body.checks).toEqual({ content: "content not loaded yet" });
    source = await content();
    expect((await health.readiness()).body.checks).toEqual({ content: "ok" });
  });

  it("fails a check that does not answer in time, and never runs two calls of it at once", async () => {
    let calls = 0;
    const hung = new Promise<never>(() => {});
    const health = createHealth({
      timeoutMs: 50,
      checks: {
        store: () => {
          calls++;
          return hung;
        },
      },
    });
    const first = await health.readiness();
    const second = await health.readiness();
    for (const ready of [first, second]) {
      expect(ready.status).toBe(503);
      expect(ready.body.checks.store).toBe("the store check did not answer within 50 ms");
    }
    expect(calls).toBe(1);
  });

  it("reports a check that throws with its message", async () => {
    const health = createHealth({
      checks: {
        store: async () => {
          throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
        },
        content: async () => ({ ok: true }),
      },
    });
    const ready = await health.readiness();
    expect(ready.body.checks).toEqual({
      store: "connect ECONNREFUSED 127.0.0.1:5432",
      content: "ok",
    });
  });

  it("follows a real queue consumer: ready while it listens, not once it stopped", async () => {
    const { delivery: queue } = (await storage()).lanes;
    const controller = new AbortController();
    const listening = queue.listen(async () => {}, { signal: controller.signal });
    const health = createHealth({
      checks: { queue: queueCheck(watchConsumer(listening, controller.signal)) },
    });
    expect((await health.readiness()).body.checks).toEqual({ queue: "ok" });

    controller.abort();
    await listening;
    const ready = await health.readiness();
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual({ queue: "queue consumer stopped (shutting down)" });
  });

  it("says why a consumer stopped that nobody told to stop", async () => {
    const failed = Promise.reject(new Error("listen loop crashed"));
    const ended = Promise.resolve();
    const crashed = queueCheck(watchConsumer(failed));
    const returned = queueCheck(watchConsumer(ended));
    await Promise.allSettled([failed, ended]);
    expect(await crashed()).toEqual({
      ok: false,
      reason: "queue consumer failed: listen loop crashed",
    });
    expect(await returned()).toEqual({ ok: false, reason: "queue consumer ended" });
  });
});
