import { MemoryKvStore } from "@fedify/fedify";
import { describe, expect, it } from "vitest";
import { IDEMPOTENCE_PREFIX, repeatableInbox } from "./repeatable-inbox.ts";

const key = (id: string) => [...IDEMPOTENCE_PREFIX, "https://cualo.example", id] as const;

describe("repeatableInbox", () => {
  it("does not let Fedify remember a marked id, once, and remembers the others", async () => {
    const inner = new MemoryKvStore();
    const { kv, allowRepeat } = repeatableInbox(inner);
    allowRepeat("https://peer.example/follows/1");
    await kv.set(key("https://peer.example/follows/1"), true);
    await kv.set(key("https://peer.example/likes/1"), true);
    expect(await inner.get(key("https://peer.example/follows/1"))).toBeUndefined();
    expect(await inner.get(key("https://peer.example/likes/1"))).toBe(true);
    // The mark is used up: a later processing of the same id without one is remembered.
    await kv.set(key("https://peer.example/follows/1"), true);
    expect(await inner.get(key("https://peer.example/follows/1"))).toBe(true);
  });

  it("passes every other key through, cas included", async () => {
    const inner = new MemoryKvStore();
    const { kv, allowRepeat } = repeatableInbox(inner);
    allowRepeat("x");
    await kv.set(["loa", "x"], 1);
    expect(await kv.get(["loa", "x"])).toBe(1);
    expect(await kv.cas?.(["loa", "x"], 1, 2)).toBe(true);
    expect(await inner.get(["loa", "x"])).toBe(2);
    await kv.delete(["loa", "x"]);
    expect(await inner.get(["loa", "x"])).toBeUndefined();
  });
});
