import {
  createExponentialBackoffPolicy,
  type Federation,
  type FederationOptions,
} from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { circuitBreakerOptions } from "./circuit.ts";
import type { DeliveryTracking } from "./delivery-tracking.ts";
import type { FederationDeps } from "./deps.ts";
import { SOFTWARE_VERSION } from "./nodeinfo.ts";
import type { RequestData } from "./request-data.ts";
import { elideDefaultSpecWrites } from "./spec-writes.ts";

const logger = getLogger(["loa", "federation", "outbox"]);

/**
 * Most of the fediverse verifies draft-cavage, and some servers answer 202
 * before verifying, so an RFC 9421 first knock would be silently lost there.
 */
const FIRST_KNOCK = "draft-cavage-http-signatures-12";

/** What the Fedify options of every process and delivery thread are built from. */
export type FedifyOptionDeps = Pick<
  FederationDeps,
  "config" | "kv" | "store" | "manuallyStartQueue" | "lanes"
>;

/**
 * The options every Fedify instance of Loa shares (the full one of a web or
 * worker process, and a delivery thread's): storage, origin, signing, retries,
 * failure reporting.
 */
export function fedifyOptions(
  deps: FedifyOptionDeps,
  tracking: DeliveryTracking,
): FederationOptions<RequestData> {
  return {
    kv: elideDefaultSpecWrites(deps.kv, FIRST_KNOCK),
    // Fedify's per-kind queues: outbox and fan-out are one lane (and one
    // object, so Fedify listens to it once), incoming activities another.
    queue: {
      ...(deps.lanes.inbox ? { inbox: deps.lanes.inbox } : {}),
      outbox: tracking.queue,
      fanout: tracking.queue,
    },
    manuallyStartQueue: deps.manuallyStartQueue ?? false,
    // Every id comes from the configured origin, never from a request's Host header.
    origin: deps.config.origin.origin,
    allowPrivateAddress: deps.config.allowPrivateAddress,
    firstKnock: FIRST_KNOCK,
    // Fedify's default (1 s doubling, 10 attempts) gives up after ~17 minutes, so a
    // peer down for an hour would never get the article. Ours: DELIVERY_RETRY_INITIAL_MS
    // (1 min) doubling, capped at DELIVERY_RETRY_MAX_MS (12 h), DELIVERY_MAX_ATTEMPTS (12) times: retries
    // at ~1, 2, 4 … 256, 512 min, then 12 h, 12 h: about 1.7 days (jitter adds up to 2x).
    outboxRetryPolicy: createExponentialBackoffPolicy({
      initialDelay: { milliseconds: deps.config.deliveryRetryInitialMs },
      maxDelay: { milliseconds: deps.config.deliveryRetryMaxMs },
      maxAttempts: deps.config.deliveryMaxAttempts,
    }),
    circuitBreaker: circuitBreakerOptions(deps.config),
    userAgent: { software: `loa/${SOFTWARE_VERSION}`, url: deps.config.origin },
    onOutboxError: (error, activity) => {
      tracking.failed(error);
      logger.warning("Delivery of {activity} failed: {error}", {
        activity: activity?.id?.href,
        error: error.message,
      });
    },
  };
}

/**
 * A 410 Gone is definitive (the account or server is gone): those followers
 * are removed. A 404 may be a passing misconfiguration, so those are kept.
 * A delivery held back by the circuit breaker past its time is given up.
 */
export function handlePermanentFailures(
  federation: Federation<RequestData>,
  deps: Pick<FederationDeps, "store">,
  tracking: DeliveryTracking,
): void {
  federation.setOutboxPermanentFailureHandler(async (_ctx, failure) => {
    if (failure.reason === "circuit-breaker-ttl") {
      tracking.gaveUp("the server kept failing; held past the retry period");
      return;
    }
    if (failure.reason !== "http" || failure.statusCode !== 410) return;
    for (const actorId of failure.actorIds) {
      if (await deps.store.removeFollower(actorId.href)) {
        logger.info("{follower}'s inbox is gone (410); removed from followers", {
          follower: actorId.href,
        });
      }
    }
  });
}
