import { describe, expect, it } from "vitest";
import { requestIdFrom } from "./header-policy.ts";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("request ids", () => {
  it("are random UUIDs, none repeated, across many batches", () => {
    const ids = Array.from({ length: 5_000 }, () => requestIdFrom(undefined));
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("keep a proxy's id when it is plainly an id, and replace one that is not", () => {
    expect(requestIdFrom("edge-42.a:b")).toBe("edge-42.a:b");
    expect(requestIdFrom("two words")).toMatch(UUID_V4);
    expect(requestIdFrom("x".repeat(129))).toMatch(UUID_V4);
    expect(requestIdFrom("")).toMatch(UUID_V4);
  });
});
