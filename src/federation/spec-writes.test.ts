import { type KvKey, MemoryKvStore } from "@fedify/fedify";
import { describe, expect, it } from "vitest";
import { elideDefaultSpecWrites, SPEC_PREFIX } from "./spec-writes.ts";

const CAVAGE = "draft-cavage-http-signatures-12";
const key = (origin: string): KvKey => [...SPEC_PREFIX, origin] as unknown as KvKey;

/** A memory store that counts the writes reaching it. */
function countingStore() {
  const inner = new MemoryKvStore();
  const writes: string[] = [];
  const set = inner.set.bind(inner);
  const del = inner.delete.bind(inner);
  inner.set = async (k, v, o) => {
    writes.push(`set ${k.join("/")}`);
    await set(k, v, o);
  };
  inner.delete = async (k) => {
    writes.push(`delete ${k.join("/")}`);
    await del(k);
  };
  return { inner, writes };
}

describe("elideDefaultSpecWrites", () => {
  it("writes nothing when a delivery confirms the first knock for a server read as absent", async () => {
    const { inner, writes } = countingStore();
    const kv = elideDefaultSpecWrites(inner, CAVAGE);
    for (let i = 0; i < 3; i++) {
      expect(await kv.get(key("https://peer.example"))).toBeUndefined();
      await kv.set(key("https://peer.example"), CAVAGE);
    }
    expect(writes).toEqual([]);
  });

  it("keeps another spec, and removes it when the first knock works again", async () => {
    const { inner, writes } = countingStore();
    const kv = elideDefaultSpecWrites(inner, CAVAGE);
    await kv.set(key("https://peer.example"), "rfc9421");
    expect(await kv.get(key("https://peer.example"))).toBe("rfc9421");
    await kv.set(key("https://peer.example"), CAVAGE);
    // Absent means the first knock: what Fedify reads next is the same.
    expect(await inner.get(key("https://peer.example"))).toBeUndefined();
    expect(writes).toEqual([
      "set _fedify/httpMessageSignaturesSpec/https://peer.example",
      "delete _fedify/httpMessageSignaturesSpec/https://peer.example",
    ]);
  });

  it("passes every other key through", async () => {
    const { inner, writes } = countingStore();
    const kv = elideDefaultSpecWrites(inner, CAVAGE);
    await kv.set(["_fedify", "circuit", "peer.example"], { state: "closed", failures: [] });
    await kv.set(["_fedify", "remoteDocument", "x"], CAVAGE);
    expect(await kv.get(["_fedify", "circuit", "peer.example"])).toEqual({
      state: "closed",
      failures: [],
    });
    expect(writes).toHaveLength(2);
  });
});
