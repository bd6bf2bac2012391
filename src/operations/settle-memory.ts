/**
 * A memory-reducing garbage collection once start-up is over. Loading the
 * modules and the content allocates fast, so V8 grows the young generation to
 * its ceiling (`--max-semi-space-size`) and keeps it, with the start-up's
 * garbage, while the server then sits idle: about 20 MiB resident of a
 * one-article town's ~150 (docs/performance.md, "Memory"). V8 gives that back
 * only in a collection that favours memory, which it does not schedule for a
 * process that is merely quiet; so the process asks for one, once, a few
 * seconds after start-up. It pauses the thread for 0.1–0.5 s (measured on the
 * shared 2-core machine), once in the process's life; a second one a minute
 * later gave back only 2 MiB more, so it is not asked for.
 *
 * A collection after requests had been served used to leave the server ~25 %
 * slower for good (V8's own memory reducer does the same after a quiet spell);
 * `tick-shape.ts` holds the shape whose loss was most of it (docs/performance.md,
 * "the slow state"); with it, a collected process measured 20–23 µs per `/`
 * request against 26–27 without.
 */

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { getLogger } from "@logtape/logtape";

const logger = getLogger(["loa", "operations", "memory"]);

type Collect = (options: { type: "major"; flavor: "last-resort" }) => void;

/** V8's `gc`, reached without exposing it on the global object; null when unavailable. */
function collector(): Collect | null {
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("gc");
    return typeof gc === "function" ? (gc as Collect) : null;
  } catch {
    return null;
  }
}

/** How long after start-up the collection runs (the bench waits it out before measuring). */
export const SETTLE_AFTER_MS = 5_000;

/** Schedules the collection (a timer that does not hold the process open). */
export function settleMemoryAfterStartup(afterMs = SETTLE_AFTER_MS): void {
  const gc = collector();
  if (gc === null) return;
  setTimeout(() => {
    const before = process.memoryUsage.rss();
    const t0 = performance.now();
    gc({ type: "major", flavor: "last-resort" });
    logger.debug("Memory-reducing collection: {beforeMiB} → {afterMiB} MiB resident in {ms} ms", {
      beforeMiB: Math.round(before / 1_048_576),
      afterMiB: Math.round(process.memoryUsage.rss() / 1_048_576),
      ms: Math.round(performance.now() - t0),
    });
  }, afterMs).unref();
}
