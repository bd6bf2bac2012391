/**
 * Fedify 2.3's circuit breaker, tuned to Loa's retry settings.
 *
 * After {@link FAILURE_THRESHOLD} failed deliveries to one server (host and
 * port) within {@link FAILURE_WINDOW_MS}, Fedify holds that server's
 * deliveries: each is put back in the queue, without a request, until the
 * circuit's recovery delay has passed; then one probe goes out, and a success
 * closes the circuit for all of them. A server that keeps failing thus waits
 * out its backoff without holding a delivery slot (a dead server would
 * otherwise hold one for a timeout per queued delivery), and Fedify's retries
 * stay the mechanism.
 *
 * Fedify's defaults (30 minutes before a probe, held deliveries kept for 7
 * days) do not follow our retry settings; ours: the recovery delay is the wait
 * the threshold-th retry would have had (`DELIVERY_RETRY_INITIAL_MS` × 2⁴,
 * capped at `DELIVERY_RETRY_MAX_MS`: 16 minutes by default), and a held
 * delivery is given up when its retries would have run out.
 */
import type { CircuitBreakerOptions } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Config } from "../config.ts";

const logger = getLogger(["loa", "federation", "circuit"]);

/** Failures within the window that open a server's circuit (Fedify's default). */
export const FAILURE_THRESHOLD = 5;
/** Fedify's default window: 10 minutes. */
export const FAILURE_WINDOW_MS = 10 * 60_000;

type RetrySettings = Pick<
  Config,
  "deliveryRetryInitialMs" | "deliveryRetryMaxMs" | "deliveryMaxAttempts"
>;

/** The wait before a probe of a failing server: the threshold-th retry's delay. */
export function recoveryDelayMs(config: RetrySettings): number {
  return Math.min(
    config.deliveryRetryInitialMs * 2 ** (FAILURE_THRESHOLD - 1),
    config.deliveryRetryMaxMs,
  );
}

/**
 * How long the retries of one delivery last without jitter: the sum of the
 * waits between its attempts (~1.7 days with the defaults).
 */
export function retryHorizonMs(config: RetrySettings): number {
  let total = 0;
  for (let attempt = 0; attempt < config.deliveryMaxAttempts - 1; attempt++) {
    total += Math.min(config.deliveryRetryInitialMs * 2 ** attempt, config.deliveryRetryMaxMs);
  }
  return Math.max(total, recoveryDelayMs(config));
}

/** The `circuitBreaker` option of Loa's Fedify instances. */
export function circuitBreakerOptions(config: RetrySettings): CircuitBreakerOptions {
  const recovery = recoveryDelayMs(config);
  return {
    failureThreshold: FAILURE_THRESHOLD,
    failureWindow: { milliseconds: FAILURE_WINDOW_MS },
    recoveryDelay: { milliseconds: recovery },
    heldActivityTtl: { milliseconds: retryHorizonMs(config) },
    onStateChange: (server, previous, state) => {
      if (state === "open") {
        logger.warning(
          "{server} keeps failing; its deliveries wait {seconds} s before the next try",
          { server, previous, seconds: Math.round(recovery / 1000) },
        );
      } else if (state === "closed") {
        logger.info("{server} answers again; its held deliveries go out", { server, previous });
      }
    },
  };
}
