/**
 * What every process and thread that delivers sets up, and the delivery-only
 * federation of a delivery thread (no dispatchers, no content, no inbox: it
 * only consumes the delivery lane).
 */
import type { Federation } from "@fedify/fedify";
import { createFederation } from "@fedify/fedify";
import type { Config } from "../config.ts";
import { installOutboundAgent } from "../net/outbound-agent.ts";
import { type DeliveryTracking, trackDeliveries } from "./delivery-tracking.ts";
import type { FederationDeps } from "./deps.ts";
import { fedifyOptions, handlePermanentFailures } from "./fedify-options.ts";
import { installKeyImportCache } from "./key-import-cache.ts";
import { DEFAULT_MAX_REDIRECTS, installOutboundFetchGuard } from "./outbound-fetch.ts";
import { newRequestData, type RequestData } from "./request-data.ts";

/**
 * Bounds every outbound request of this thread and imports each private key
 * once. Fedify 2.3.8 sets no timeout or size bound on what it fetches (actors,
 * keys) or delivers, and follows 20 redirects; its loader factories cannot be
 * replaced while `allowPrivateAddress` or `userAgent` are set, and delivery
 * has no fetch hook at all. So the thread's global `fetch`, the one place
 * every such request goes through, is bounded here, before Fedify makes any
 * request (see outbound-fetch.ts, ../net/outbound-agent.ts, key-import-cache.ts).
 */
export function prepareOutbound(config: Config): void {
  installOutboundAgent({
    connectMs: config.fetchConnectTimeoutMs,
    responseMs: config.fetchResponseTimeoutMs,
    maxBytes: config.fetchMaxBytes,
    allowPrivate: config.allowPrivateAddress,
  });
  installOutboundFetchGuard({
    timeoutMs: config.fetchTimeoutMs,
    maxBytes: config.fetchMaxBytes,
    maxRedirects: DEFAULT_MAX_REDIRECTS,
  });
  installKeyImportCache();
}

/**
 * The delivery lane Fedify is given, wrapped to record delivery progress (see
 * delivery-tracking.ts) and to cap the deliveries to one server this thread
 * makes at once: the cap keeps a slow server from taking a consumer's
 * workers, so it holds per delivering thread.
 */
export function deliveryTracking(
  deps: Pick<FederationDeps, "config" | "lanes" | "store" | "clock" | "observeDelivery">,
): DeliveryTracking {
  return trackDeliveries(deps.lanes.delivery, {
    store: deps.store,
    clock: deps.clock,
    maxAttempts: deps.config.deliveryMaxAttempts,
    observe: deps.observeDelivery,
    perServer: deps.config.deliveryMaxPerServer,
  });
}

/** What a delivery thread's federation needs: the delivery lane only. */
export type DeliveryDeps = Pick<
  FederationDeps,
  "config" | "store" | "kv" | "clock" | "observeDelivery"
> & { lanes: { delivery: FederationDeps["lanes"]["delivery"] } };

/** A delivery thread's federation: consumes the delivery lane until `signal` aborts. */
export function createDeliveryFederation(deps: DeliveryDeps): {
  federation: Federation<RequestData>;
  startQueue(signal: AbortSignal): Promise<void>;
} {
  prepareOutbound(deps.config);
  // The delivery lane only, whatever else the caller's lanes hold: no inbox here.
  const lanes = { delivery: deps.lanes.delivery };
  const tracking = deliveryTracking({ ...deps, lanes });
  const federation = createFederation<RequestData>(
    fedifyOptions({ ...deps, lanes, manuallyStartQueue: true }, tracking),
  );
  handlePermanentFailures(federation, deps, tracking);
  return {
    federation,
    startQueue: (signal) => federation.startQueue(newRequestData(), { signal }),
  };
}
