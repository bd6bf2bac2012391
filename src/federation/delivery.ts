/**
 * What every process and thread that delivers sets up, and the delivery-only
 * federation of a delivery thread (no dispatchers, no content: it only
 * consumes the queue).
 */
import type { Federation, MessageQueue, MessageQueueListenOptions } from "@fedify/fedify";
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
 * The queue Fedify is given, wrapped to record delivery progress (see
 * delivery-tracking.ts) and to cap the deliveries to one server this thread
 * makes at once: the cap keeps a slow server from taking a consumer's
 * workers, so it holds per delivering thread.
 */
export function deliveryTracking(
  deps: Pick<FederationDeps, "config" | "queue" | "store" | "clock" | "observeDelivery">,
): DeliveryTracking {
  return trackDeliveries(deps.queue, {
    store: deps.store,
    clock: deps.clock,
    maxAttempts: deps.config.deliveryMaxAttempts,
    observe: deps.observeDelivery,
    perServer: deps.config.deliveryMaxPerServer,
  });
}

/** What a delivery thread's federation needs. */
export interface DeliveryDeps
  extends Pick<FederationDeps, "config" | "store" | "kv" | "queue" | "clock" | "observeDelivery"> {
  /**
   * Runs a queued task this thread cannot (an incoming activity: its handlers
   * need the content and caches of the main thread) and resolves when done.
   */
  runElsewhere(message: unknown): Promise<void>;
}

/**
 * Whether a delivery thread handles `message` itself: Fedify's outgoing
 * messages (`outbox`, `fanout`). Anything else on the shared queue (incoming
 * activities, the WebSub hub's verifications and pushes) needs the main
 * thread's content, caches and handlers.
 */
function isDeliveryTask(message: unknown): boolean {
  if (typeof message !== "object" || message === null) return false;
  const type = (message as { type?: unknown }).type;
  return type === "outbox" || type === "fanout";
}

/** Hands every task but deliveries to `runElsewhere`; deliveries to Fedify. */
function forwardingInbox(queue: MessageQueue, runElsewhere: DeliveryDeps["runElsewhere"]) {
  return {
    ...queue,
    enqueue: queue.enqueue.bind(queue),
    ...(queue.enqueueMany ? { enqueueMany: queue.enqueueMany.bind(queue) } : {}),
    ...(queue.getDepth ? { getDepth: queue.getDepth.bind(queue) } : {}),
    listen: (
      // biome-ignore lint/suspicious/noExplicitAny: Fedify's MessageQueue declares messages as any
      handler: (message: any) => Promise<void> | void,
      options?: MessageQueueListenOptions,
    ) =>
      queue.listen(
        (message: unknown) => (isDeliveryTask(message) ? handler(message) : runElsewhere(message)),
        options,
      ),
  } as MessageQueue;
}

/** A delivery thread's federation: consumes the queue until `signal` aborts. */
export function createDeliveryFederation(deps: DeliveryDeps): {
  federation: Federation<RequestData>;
  startQueue(signal: AbortSignal): Promise<void>;
} {
  prepareOutbound(deps.config);
  const tracking = deliveryTracking(deps);
  const forwarding: DeliveryTracking = {
    ...tracking,
    queue: forwardingInbox(tracking.queue, deps.runElsewhere),
  };
  const federation = createFederation<RequestData>(
    fedifyOptions({ ...deps, manuallyStartQueue: true }, forwarding),
  );
  handlePermanentFailures(federation, deps, tracking);
  return {
    federation,
    startQueue: (signal) => federation.startQueue(newRequestData(), { signal }),
  };
}
