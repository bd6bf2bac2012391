/**
 * Keeps one `process.nextTick` queue entry alive for the life of the process.
 *
 * Node answers every HTTP request with several `process.nextTick` calls, each
 * making a small object of one shape. When a major garbage collection runs
 * while no such object is alive (the start-up collection, or V8's own memory
 * reducer after any quiet spell) after requests have been served, V8
 * apparently drops that shape; from then on `nextTick` ran ~9x slower in the CPU profile (7.2 %
 * of the server's time against 0.8 %) and the whole process served ~25 %
 * slower for as long as it lived (docs/performance.md, "the slow state"). One
 * entry held here keeps the shape alive, and with it the speed.
 *
 * Node gives the entry to nobody but async hooks, so a hook is enabled for the
 * one `nextTick` call below and disabled at once.
 */
import { createHook } from "node:async_hooks";

let held: object | null = null;

/** Takes and holds one `nextTick` entry (once per process); returns it. */
export function holdTickShape(): object | null {
  if (held !== null) return held;
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type === "TickObject" && held === null) held = resource;
    },
  });
  hook.enable();
  try {
    process.nextTick(() => {});
  } finally {
    hook.disable();
  }
  return held;
}
