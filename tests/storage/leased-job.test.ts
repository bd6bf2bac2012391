/**
 * The leased, coalescing, triggered job the publisher and the WebSub distributor run on,
 * with its lease in each backend's store.
 */
import { configure, getLogger, type LogRecord, reset } from "@logtape/logtape";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LeasedJobOptions, startLeasedJob } from "../../src/storage/leased-job.ts";
import type { Store } from "../../src/storage/store.ts";
import { type Backend, backends, until } from "./backends.ts";

const records: LogRecord[] = [];
beforeAll(() =>
  configure({
    sinks: { memory: (record) => records.push(record) },
    loggers: [
      { category: ["loa-test"], sinks: ["memory"], lowestLevel: "debug" },
      { category: ["logtape", "meta"], sinks: [], lowestLevel: "warning" },
    ],
    reset: true,
  }),
);
afterAll(() => reset());

const LEASE = "test-job";
const HOUR = 60 * 60_000;

/** A pass that counts its runs; `during` runs inside the pass (to hold it or fail it). */
function counted(during?: (run: number) => Promise<void>) {
  const c = {
    passes: 0,
    pass: async () => {
      c.passes++;
      await during?.(c.passes);
      return "ran";
    },
  };
  return c;
}

/** Triggers fired by hand, as content changes fire the real ones. */
function triggers() {
  const listeners = new Set<() => void>();
  return {
    onChange(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    fire() {
      for (const listener of listeners) listener();
    },
  };
}

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

function options(
  store: Store,
  overrides: Partial<LeasedJobOptions<string>>,
): LeasedJobOptions<string> {
  return {
    lease: LEASE,
    leaseTtlMs: 60_000,
    sweepIntervalMs: HOUR,
    store,
    triggers: { onChange: () => () => {} },
    pass: async () => "ran",
    skipped: () => "skipped",
    logger: getLogger(["loa-test"]),
    failureMessage: "Test job failed: {error}",
    ...overrides,
  };
}

function leasedJobSuite(backend: Backend): void {
  async function withStores(fn: (a: Store, b: Store) => Promise<void>): Promise<void> {
    // Two opens of one location: two processes sharing a database.
    const target = await backend.target();
    const a = await target.open();
    const b = await target.open();
    try {
      await fn(a.store, b.store);
    } finally {
      await a.close();
      await b.close();
    }
  }

  it("runs once at start, and a burst of triggers during a pass runs one more pass, not one each", () =>
    withStores(async (store) => {
      const fired = triggers();
      const first = gate();
      const counter = counted(async (run) => {
        if (run === 1) await first.opened;
      });
      const job = startLeasedJob(options(store, { triggers: fired, pass: counter.pass }));
      await until(() => counter.passes === 1);
      for (let i = 0; i < 5; i++) fired.fire();
      first.open();
      await job.close();
      expect(counter.passes).toBe(2);
    }));

  it("skips while another process holds the lease, and runs once it is released", () =>
    withStores(async (store, other) => {
      expect(await other.acquireLease(LEASE, "other-process", 60_000)).toBe(true);
      const counter = counted();
      const job = startLeasedJob(options(store, { pass: counter.pass }));
      expect(await job.run()).toBe("skipped");
      expect(counter.passes).toBe(0);
      await other.releaseLease(LEASE, "other-process");
      expect(await job.run()).toBe("ran");
      expect(counter.passes).toBe(1);
      await job.close();
    }));

  it("holds the lease while its pass runs: the other process's job is skipped meanwhile", () =>
    withStores(async (store, other) => {
      const first = gate();
      let running = false;
      const job = startLeasedJob(
        options(store, {
          pass: async () => {
            running = true;
            await first.opened;
            return "ran";
          },
        }),
      );
      await until(() => running);
      const otherJob = startLeasedJob(options(other, {}));
      expect(await otherJob.run()).toBe("skipped");
      first.open();
      await job.close();
      expect(await otherJob.run()).toBe("ran");
      await otherJob.close();
    }));

  it("retries on its sweep without a trigger, taking over from a holder that died with its lease", () =>
    withStores(async (store, other) => {
      // The other process takes the lease and never gives it back.
      expect(await other.acquireLease(LEASE, "dead-process", 200)).toBe(true);
      let skips = 0;
      const counter = counted();
      const skipped = () => {
        skips++;
        return "skipped";
      };
      const job = startLeasedJob(
        options(store, { sweepIntervalMs: 50, skipped, pass: counter.pass }),
      );
      await until(() => counter.passes >= 1);
      expect(skips).toBeGreaterThanOrEqual(1);
      await job.close();
    }));

  it("logs a failed pass, releases the lease, and runs again on the next trigger", () =>
    withStores(async (store, other) => {
      records.splice(0);
      const fired = triggers();
      const counter = counted(async (run) => {
        if (run === 1) throw new Error("the disk is full");
      });
      const job = startLeasedJob(options(store, { triggers: fired, pass: counter.pass }));
      await until(() => records.some((r) => r.level === "error"));
      const failure = records.find((r) => r.level === "error");
      expect(String(failure?.properties.error)).toContain("the disk is full");
      expect(await other.acquireLease(LEASE, "other-process", 60_000)).toBe(true);
      await other.releaseLease(LEASE, "other-process");
      fired.fire();
      await until(() => counter.passes === 2);
      await job.close();
      expect(await job.run()).toBe("ran");
    }));
}

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`The leased job on ${backend.name}`, () =>
    leasedJobSuite(backend),
  );
}
