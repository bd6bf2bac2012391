/**
 * What the process does with an error nobody caught. Every request and every
 * queued task has its own handler (Hono's `onError`, the queue's listen loop),
 * so what reaches here escaped one of them:
 *
 * - a rejected promise nobody awaited (a detached cleanup, a timer's promise)
 *   is logged and the process carries on: nothing was left half-done by it
 *   that a restart would repair, and Node's default (exit) would let one
 *   stranger's request stop every page, feed and delivery;
 * - a thrown exception that unwound to the event loop leaves state unknown
 *   (a half-written stream, a parser mid-message), so it is logged and the
 *   process exits with 1 for its supervisor to restart (systemd
 *   `Restart=on-failure`, docs/operations.md); queue leases bring back what it held.
 */
import { getLogger } from "@logtape/logtape";

const logger = getLogger(["loa", "process"]);
const INSTALLED = Symbol.for("loa.processErrorPolicy");

export function installProcessErrorPolicy(): void {
  const slots = globalThis as unknown as Record<PropertyKey, unknown>;
  if (slots[INSTALLED]) return;
  slots[INSTALLED] = true;
  process.on("unhandledRejection", (reason) => {
    logger.error("A rejected promise was not handled (carrying on): {reason}", { reason });
  });
  process.on("uncaughtException", (error, origin) => {
    logger.fatal("Uncaught {origin}; exiting for the supervisor to restart: {error}", {
      origin,
      error,
    });
    // Logging is asynchronous: give the sinks a moment, then go.
    setTimeout(() => process.exit(1), 100).unref();
    process.exitCode = 1;
  });
}
