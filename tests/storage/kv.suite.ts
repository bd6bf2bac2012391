import type { KvKey, KvStore } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { expect, it } from "vitest";
import { type Backend, sleep } from "./backends.ts";

type Ttl = NonNullable<Parameters<KvStore["set"]>[2]>["ttl"];
/** The polyfill's Duration, typed as Fedify's (see `delay()` in backends.ts). */
const ttl = (ms: number) => Temporal.Duration.from({ milliseconds: ms }) as unknown as Ttl;

async function collect(kv: KvStore, prefix?: KvKey) {
  const out: { key: KvKey; value: unknown }[] = [];
  for await (const entry of kv.list(prefix)) out.push({ key: entry.key, value: entry.value });
  return out.sort((a, b) => byKey(a.key, b.key));
}

/** An order for comparing listings (the store's own order is not part of the contract). */
function byKey(a: KvKey, b: KvKey): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const sorted = (keys: KvKey[]) => [...keys].sort(byKey);

/** Conformance of a Fedify {@link KvStore}: what Fedify relies on. */
export function kvSuite(backend: Backend): void {
  async function withKv(fn: (kv: KvStore) => Promise<void>): Promise<void> {
    const storage = await (await backend.target()).open();
    try {
      await fn(storage.kv);
    } finally {
      await storage.close();
    }
  }

  it("stores JSON values of every kind under nested keys, Vietnamese intact", () =>
    withKv(async (kv) => {
      const values: [KvKey, unknown][] = [
        [["s"], "Thị xã Cửa Lò — lễ hội du lịch biển"],
        [["n"], 42.5],
        [["b"], false],
        [["null"], null],
        [["arr"], [1, "hai", { ba: 3 }]],
        [["doc", "https://town.example/actor", "ặ"], { name: "Cửa Lò", tags: ["biển"], n: 0 }],
      ];
      for (const [key, value] of values) await kv.set(key, value);
      for (const [key, value] of values) expect(await kv.get(key)).toEqual(value);
      expect(await kv.get(["doc"])).toBeUndefined();
      expect(await kv.get(["missing"])).toBeUndefined();
    }));

  it("overwrites and deletes", () =>
    withKv(async (kv) => {
      await kv.set(["k", "1"], { v: 1 });
      await kv.set(["k", "1"], { v: 2 });
      expect(await kv.get(["k", "1"])).toEqual({ v: 2 });
      await kv.delete(["k", "1"]);
      expect(await kv.get(["k", "1"])).toBeUndefined();
      await kv.delete(["k", "never-set"]);
      expect(await collect(kv)).toEqual([]);
    }));

  it("lists by whole-element prefix, exactly (no case folding, no wildcards)", () =>
    withKv(async (kv) => {
      const keys: KvKey[] = [
        ["a"],
        ["a", "b"],
        ["a", "b", "c"],
        ["a", "ç"],
        ["ab"],
        ["A", "b"],
        ["a_", "x"],
        ["a%", "x"],
        ['a",', "x"],
      ];
      for (const [i, key] of keys.entries()) await kv.set(key, i);
      expect((await collect(kv, ["a"])).map((e) => e.key)).toEqual(
        sorted([["a"], ["a", "b"], ["a", "b", "c"], ["a", "ç"]]),
      );
      const expected: { key: KvKey; value: unknown }[] = [
        { key: ["a", "b"], value: 1 },
        { key: ["a", "b", "c"], value: 2 },
      ];
      expect(await collect(kv, ["a", "b"])).toEqual(expected.sort((p, q) => byKey(p.key, q.key)));
      expect((await collect(kv, ["a_"])).map((e) => e.key)).toEqual([["a_", "x"]]);
      expect((await collect(kv, ["z"])).length).toBe(0);
      expect((await collect(kv)).length).toBe(keys.length);
    }));

  it("compares and swaps", () =>
    withKv(async (kv) => {
      const cas = kv.cas?.bind(kv);
      expect(cas).toBeDefined();
      if (!cas) return;
      expect(await cas(["c"], undefined, { n: 1 })).toBe(true);
      expect(await cas(["c"], undefined, { n: 9 })).toBe(false);
      expect(await cas(["c"], { n: 2 }, { n: 9 })).toBe(false);
      expect(await kv.get(["c"])).toEqual({ n: 1 });
      expect(await cas(["c"], { n: 1 }, { n: 2 })).toBe(true);
      expect(await kv.get(["c"])).toEqual({ n: 2 });
      expect(await cas(["c"], { n: 2 }, undefined)).toBe(true);
      expect(await kv.get(["c"])).toBeUndefined();
    }));

  it("loses no update when compare-and-swaps race", () =>
    withKv(async (kv) => {
      const increment = async () => {
        for (;;) {
          const current = (await kv.get<number>(["counter"])) ?? 0;
          if (await kv.cas?.(["counter"], current === 0 ? undefined : current, current + 1)) return;
        }
      };
      await Promise.all(Array.from({ length: 8 }, increment));
      expect(await kv.get(["counter"])).toBe(8);
    }));

  it("forgets entries once their TTL runs out", () =>
    withKv(async (kv) => {
      await kv.set(["short"], "tạm", { ttl: ttl(100) });
      await kv.set(["long"], "lâu", { ttl: ttl(60_000) });
      expect(await kv.get(["short"])).toBe("tạm");
      await sleep(250);
      expect(await kv.get(["short"])).toBeUndefined();
      expect(await kv.get(["long"])).toBe("lâu");
      expect((await collect(kv)).map((e) => e.key)).toEqual([["long"]]);
      expect(await kv.cas?.(["short"], undefined, "mới")).toBe(true);
    }));

  it("keeps entries across a restart", async () => {
    const target = await backend.target();
    const first = await target.open();
    await first.kv.set(["keep", "me"], { tên: "Nghệ An" });
    await first.close();
    const second = await target.open();
    try {
      expect(await second.kv.get(["keep", "me"])).toEqual({ tên: "Nghệ An" });
    } finally {
      await second.close();
    }
  });
}
