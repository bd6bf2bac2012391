/**
 * Loa's own WebSub hub (W3C Recommendation): subscriptions at `/websub`
 * (`routes.ts`), verification of intent and pushes as messages on the
 * durable delivery queue (`consume.ts`, `verify.ts`, `push.ts`), change
 * detection on content changes (`distribute.ts`). `main.ts` composes it per
 * role: web roles mount the routes and run the distributor, the roles that
 * consume the queue hand Fedify the wrapped queue.
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
import { withHubMessages } from "./consume.ts";
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
  /** The durable queue itself (not Fedify's wrapped one): the hub's messages are enqueued here. */
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
  /** The queue to hand Fedify in roles that consume it: takes the hub's messages first. */
  consume(queue: MessageQueue): MessageQueue;
  /**
   * Runs one queued task if it is the hub's (a delivery thread hands such tasks
   * to the main thread); returns false for any other message.
   */
  runTask(message: unknown): Promise<boolean>;
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
    consume: (inner) => withHubMessages(inner, handle),
    runTask: async (message) => {
      if (!isHubMessage(message)) return false;
      await handle(message);
      return true;
    },
    distribute: (feeds, content) =>
      startDistributor({ feeds, content, store, bodies, queue, clock }),
  };
}
