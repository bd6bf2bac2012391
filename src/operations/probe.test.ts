import { describe, expect, it } from "vitest";
import { reasonOf, singleFlight, TimeoutError, withTimeout } from "./probe.ts";

describe("singleFlight", () => {
  it("shares a running call, and starts a new one once it settled", async () => {
    let calls = 0;
    let release: (n: number) => void = () => {};
    const probe = singleFlight(() => {
      calls++;
      return new Promise<number>((resolve) => {
        release = resolve;
      });
    });
    const a = probe();
    const b = probe();
    expect(calls).toBe(1);
    release(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    const c = probe();
    expect(calls).toBe(2);
    release(8);
    expect(await c).toBe(8);
  });

  it("turns a synchronous throw into a rejection and recovers after it", async () => {
    let fail = true;
    const probe = singleFlight(async () => {
      if (fail) throw new Error("down");
      return "up";
    });
    await expect(probe()).rejects.toThrow("down");
    fail = false;
    expect(await probe()).toBe("up");
    const sync = singleFlight((): Promise<string> => {
      throw new Error("thrown before any promise");
    });
    await expect(sync()).rejects.toThrow("thrown before any promise");
  });
});

describe("withTimeout", () => {
  it("passes results and errors through", async () => {
    expect(await withTimeout(async () => 42, 1000, "answer")).toBe(42);
    await expect(
      withTimeout(
        async () => {
          throw new Error("refused");
        },
        1000,
        "answer",
      ),
    ).rejects.toThrow("refused");
  });

  it("gives up on work that never settles, naming it", async () => {
    const error: unknown = await withTimeout(() => new Promise(() => {}), 20, "the store").catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(reasonOf(error)).toBe("the store did not answer within 20 ms");
  });
});

describe("reasonOf", () => {
  it("reads a message, a bare error's name, or anything else as text", () => {
    expect(reasonOf(new Error("boom"))).toBe("boom");
    expect(reasonOf(new TypeError())).toBe("TypeError");
    expect(reasonOf("plain")).toBe("plain");
  });
});
