import { describe, expect, it } from "vitest";
import { BoundedMap } from "./bounded-map.ts";

describe("BoundedMap", () => {
  it("never holds more than its limit, however many keys are set", () => {
    const map = new BoundedMap<string, number>(100);
    for (let i = 0; i < 10_000; i++) {
      map.set(`/articles/bai-${i}`, i);
      expect(map.size).toBeLessThanOrEqual(100);
      expect(map.get(`/articles/bai-${i}`)).toBe(i);
    }
  });

  it("keeps what it has when a known key is set again at the limit", () => {
    const map = new BoundedMap<string, number>(2);
    map.set("a", 1).set("b", 2).set("b", 3);
    expect([...map]).toEqual([
      ["a", 1],
      ["b", 3],
    ]);
  });
});
