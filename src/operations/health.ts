/**
 * Liveness and readiness, for `GET /healthz` and `GET /readyz` (the HTTP layer
 * mounts them; see docs/operations.md). Liveness does no I/O: it answers while
 * the event loop turns. Readiness runs every named check at once, each bounded
 * by a timeout and never more than one call of it in flight, so a load
 * balancer polling every second costs at most one trivial query per check per
 * poll, and a hung store answers 503 within the timeout instead of hanging it.
 */
import { getLogger } from "@logtape/logtape";
import { reasonOf, singleFlight, withTimeout } from "./probe.ts";

const logger = getLogger(["loa", "operations", "health"]);

/** What one check found; a failure says why, for the operator reading `/readyz`. */
export type CheckOutcome = { ok: true } | { ok: false; reason: string };

/**
 * One readiness probe. A thrown error or a timeout counts as a failure with
 * the error's message as the reason.
 */
export type HealthCheck = () => Promise<CheckOutcome>;

/** Settings of {@link createHealth}. */
export interface HealthOptions {
  /** Named checks (`store`, `content`, `queue`, …); each name appears in the body. */
  checks: Readonly<Record<string, HealthCheck>>;
  /** How long one check may take before it counts as failed. Default 1000 ms. */
  timeoutMs?: number;
}

/** The answer to `GET /healthz`. */
export interface Liveness {
  ok: true;
  status: 200;
  body: { status: "ok" };
}

/** The answer to `GET /readyz`: 200 when every check passes, else 503 naming what failed. */
export interface Readiness {
  ok: boolean;
  status: 200 | 503;
  body: {
    status: "ok" | "unavailable";
    /** Each check's name with `"ok"` or the reason it failed. */
    checks: Record<string, string>;
  };
}

/** Made by {@link createHealth}. */
export interface Health {
  /** No I/O, no allocation beyond the answer. */
  liveness(): Liveness;
  /** Runs the checks concurrently; settles within about `timeoutMs`. */
  readiness(): Promise<Readiness>;
}

const LIVE: Liveness = Object.freeze({
  ok: true,
  status: 200,
  body: Object.freeze({ status: "ok" }),
}) as Liveness;

/** Builds liveness and readiness over `options.checks`. */
export function createHealth(options: HealthOptions): Health {
  const timeoutMs = options.timeoutMs ?? 1000;
  const checks = Object.entries(options.checks).map(([name, check]) => {
    const shared = singleFlight(check);
    return { name, run: () => withTimeout(shared, timeoutMs, `the ${name} check`) };
  });

  return {
    liveness: () => LIVE,
    async readiness() {
      const outcomes = await Promise.all(
        checks.map(async ({ name, run }): Promise<[string, string]> => {
          try {
            const outcome = await run();
            return [name, outcome.ok ? "ok" : outcome.reason];
          } catch (error) {
            return [name, reasonOf(error)];
          }
        }),
      );
      const failed = outcomes.filter(([, result]) => result !== "ok");
      if (failed.length > 0) {
        // Debug, not warning: a balancer polling a sick process every second
        // would otherwise flood the log; the 503 body says the same.
        logger.debug("Not ready: {failed}", { failed: Object.fromEntries(failed) });
      }
      const ok = failed.length === 0;
      return {
        ok,
        status: ok ? 200 : 503,
        body: { status: ok ? "ok" : "unavailable", checks: Object.fromEntries(outcomes) },
      };
    },
  };
}

/**
 * The HTTP answer for a liveness or readiness result: JSON, never cached (a
 * cached 200 would hide an outage from the balancer).
 */
export function healthResponse(result: Liveness | Readiness): Response {
  return new Response(JSON.stringify(result.body), {
    status: result.status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
    },
  });
}
