import { describe, expect, it } from "vitest";
import { RenderCache } from "./render-cache.ts";

describe("the render cache", () => {
  it("renders once per key and version, and again when the version changes", () => {
    const cache = new RenderCache<string>(4);
    let renders = 0;
    const make = () => `body ${++renders}`;
    expect(cache.get(1, "a", make)).toBe("body 1");
    expect(cache.get(1, "a", make)).toBe("body 1");
    expect(cache.get(2, "a", make)).toBe("body 2");
  });

  it("drops the least recently used entry, however often the newest was asked for", () => {
    const cache = new RenderCache<string>(2);
    const rendered: string[] = [];
    const get = (key: string) =>
      cache.get(1, key, () => {
        rendered.push(key);
        return key;
      });
    get("a");
    get("b");
    get("a"); // a is now the newest; b the oldest
    get("a");
    get("a");
    get("c"); // evicts b
    get("a"); // still cached, and now newer than c
    get("b"); // rendered again; evicts c, the least recently used
    expect(rendered).toEqual(["a", "b", "c", "b"]);
    get("c");
    expect(rendered).toEqual(["a", "b", "c", "b", "c"]);
  });
});
