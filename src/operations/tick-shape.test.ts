import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { holdTickShape } from "./tick-shape.ts";

const run = promisify(execFile);
const MODULE = fileURLToPath(new URL("./tick-shape.ts", import.meta.url));

describe("holdTickShape", () => {
  it("holds a real nextTick entry, the same one on every call", () => {
    const entry = holdTickShape();
    expect(entry).not.toBeNull();
    // A nextTick entry: its callback and args, and the async ids under Node's symbols.
    expect(Object.keys(entry as object).sort()).toEqual(["args", "callback"]);
    expect(typeof (entry as { callback: unknown }).callback).toBe("function");
    expect(Object.getOwnPropertySymbols(entry).map(String)).toEqual(
      expect.arrayContaining(["Symbol(async_id_symbol)", "Symbol(trigger_async_id_symbol)"]),
    );
    expect(holdTickShape()).toBe(entry);
  });

  it("keeps its entry, and so nextTick's shape, through full collections", async () => {
    // In a process of its own: V8's map check and `gc` need flags this one lacks.
    const script = `
      import { createHook } from "node:async_hooks";
      import { holdTickShape } from ${JSON.stringify(MODULE)};
      // Only a weak reference here: the module alone must keep the entry.
      const weak = new WeakRef(holdTickShape());
      for (let i = 0; i < 1000; i++) process.nextTick(() => {});
      await new Promise((resolve) => setTimeout(resolve, 10));
      gc(); gc();
      const held = weak.deref();
      let fresh = null;
      const hook = createHook({ init(_id, type, _t, r) { if (type === "TickObject") fresh ??= r; } });
      hook.enable();
      process.nextTick(() => {});
      hook.disable();
      console.log(JSON.stringify({
        held: held !== undefined,
        fresh: fresh !== null && fresh !== held,
        sameShape: held !== undefined && %HaveSameMap(held, fresh),
      }));
    `;
    const { stdout } = await run(
      process.execPath,
      ["--allow-natives-syntax", "--expose-gc", "--input-type=module", "-e", script],
      { timeout: 30_000 },
    );
    expect(JSON.parse(stdout)).toEqual({ held: true, fresh: true, sameShape: true });
  });
});
