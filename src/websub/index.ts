/**
 * Loa's own WebSub hub (W3C Recommendation): subscriptions at `/websub`
 * (`routes.ts`), verification of intent and pushes as messages on the hub's
 * own lane of the durable queue (`verify.ts`, `push.ts`; see
 * `storage/lanes.ts`), change detection on content changes
 * (`distribute.ts`). `main.ts` composes it per role: web roles mount the
 * routes and run the distributor, the roles that consume the queue listen to
 * the hub's lane.
 */
import type { KvStore, MessageQueue } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Hono } from "hono";
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { ContentSource } from "../content/types.ts";
import { createOutboundAgent } from "../net/outbound-agent.ts";
import type { Lookup } from "../net/pinned-connect.ts";
import type { Store } from "../storage/store.ts";
import type { FeedResources } from "../web/feed-resources.ts";
import type { WebEnv } from "../web/header-policy.ts";
import { topicBodies } from "./bodies.ts";
import { type Distributor, startDistributor } from "./distribute.ts";
import type { HubMessage } from "./messages.ts";
import { isHubMessage } from "./messages.ts";
import { createCallbackClient, type Fetch } from "./outbound.ts";
import { pendingVerifications } from "./pending.ts";
import { push } from "./push.ts";
import { selfLink } from "./request.ts";
import type { RetryPolicy } from "./retry.ts";
import { hubRoutes } from "./routes.ts";
import { verifyIntent } from "./verify.ts";

export { hubSignature } from "./push.ts";

const logger = getLogger(["loa", "websub"]);

export interface HubDeps {
  config: Pick<
    Config,
    | "allowPrivateAddress"
    | "fetchTimeoutMs"
    | "fetchConnectTimeoutMs"
    | "fetchResponseTimeoutMs"
    | "fetchMaxBytes"
    | "deliveryRetryInitialMs"
    | "deliveryRetryMaxMs"
    | "deliveryMaxAttempts"
    | "websubLeaseDefaultS"
    | "websubLeaseMaxS"
    | "websubMaxPerHost"
    | "websubMaxPending"
    | "websubMaxPendingPerDomain"
  >;
  store: Store;
  kv: KvStore;
  /** The hub's lane of the durable queue: its messages are enqueued and consumed there. */
  queue: MessageQueue;
  clock: Clock;
  /** Sent on every request to a callback. */
  userAgent: string;
  /** Default: the process's (bounded) global `fetch`. */
  fetch?: Fetch;
  /** How callback names resolve (default: `dns.lookup`); checked and pinned at connect time. */
  lookup?: Lookup;
}

export interface Hub {
  /** `POST /websub`, answering from `feeds` (is a topic one of ours). */
  routes(feeds: Pick<FeedResources, "topic">): Hono<WebEnv>;
  /** Consumes the hub's lane until `signal` aborts (roles that consume the queue). */
  listen(signal: AbortSignal): Promise<void>;
  /** Pushes each change of `feeds` to its subscribers (web roles). */
  distribute(feeds: FeedResources, content: Pick<ContentSource, "onChange">): Distributor;
}

export function createHub(deps: HubDeps): Hub {
  const { config, store, queue, clock } = deps;
  // The hub's own dispatcher, whatever the process installed: its connections
  // are checked at connect time (no DNS rebinding) and bounded in time and bytes.
  const dispatcher = createOutboundAgent({
    connectMs: config.fetchConnectTimeoutMs,
    responseMs: config.fetchResponseTimeoutMs,
    maxBytes: config.fetchMaxBytes,
    allowPrivate: config.allowPrivateAddress,
    lookup: deps.lookup,
  });
  const pending = pendingVerifications(deps.kv, {
    total: config.websubMaxPending,
    perDomain: config.websubMaxPendingPerDomain,
  });
  const client = createCallbackClient({
    fetch: deps.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    dispatcher,
    timeoutMs: config.fetchTimeoutMs,
    userAgent: deps.userAgent,
  });
  const retry: RetryPolicy = {
    initialMs: config.deliveryRetryInitialMs,
    maxMs: config.deliveryRetryMaxMs,
    maxAttempts: config.deliveryMaxAttempts,
  };
  const bodies = topicBodies(deps.kv);
  const handle = async (message: HubMessage) => {
    try {
      if (message.action === "verify") {
        await verifyIntent(
          {
            store,
            client,
            queue,
            clock,
            retry,
            maxPerDomain: config.websubMaxPerHost,
            pending,
          },
          message,
        );
      } else {
        await push({ store, bodies, client, queue, clock, retry }, message);
      }
    } catch (error) {
      logger.error("WebSub {action} for {callback} failed: {error}", {
        action: message.action,
        callback: message.callback,
        error,
      });
    }
  };
  return {
    routes: (feeds) =>
      hubRoutes({
        rules: {
          canonicalTopic: (url) => {
            const rendered = feeds.topic(url);
            return rendered ? (selfLink(rendered.headers.Link) ?? url) : null;
          },
          leaseDefaultS: config.websubLeaseDefaultS,
          leaseMaxS: config.websubLeaseMaxS,
        },
        store,
        queue,
        clock,
        maxPerDomain: config.websubMaxPerHost,
        pending,
        allowPrivate: config.allowPrivateAddress,
      }),
    listen: (signal) =>
      queue.listen(
        async (message: unknown) => {
          if (isHubMessage(message)) await handle(message);
          else logger.warning("Dropped a message on the hub's lane that is not the hub's");
        },
        { signal },
      ),
    distribute: (feeds, content) =>
      startDistributor({ feeds, content, store, bodies, queue, clock }),
  };
}
