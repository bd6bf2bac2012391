/**
 * `POST /websub`: the hub's one endpoint (WebSub §5.1). A request is checked
 * at once (400 with the field and the reason), then answered 202 while the
 * verification of intent runs from the queue (§5.3).
 */

import { isIP } from "node:net";
import type { MessageQueue } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Clock } from "../clock.ts";
import { isSpecialAddress } from "../net/special-addresses.ts";
import { callbackDomain, type HubStore } from "../storage/hub.ts";
import { PATHS } from "../urls.ts";
import type { WebEnv } from "../web/header-policy.ts";
import type { VerifyMessage } from "./messages.ts";
import type { PendingVerifications } from "./pending.ts";
import { type HubRequestRules, parseHubRequest } from "./request.ts";

const logger = getLogger(["loa", "websub", "hub"]);

/** Form fields only: a few URLs and a secret. */
const BODY_MAX_BYTES = 8 * 1024;

export interface HubRoutesDeps {
  rules: HubRequestRules;
  store: HubStore;
  queue: MessageQueue;
  clock: Clock;
  /** Subscriptions per registrable domain (`WEBSUB_MAX_PER_HOST`). */
  maxPerDomain: number;
  pending: PendingVerifications;
  allowPrivate: boolean;
}

const PLAIN = { "Content-Type": "text/plain; charset=utf-8" };

export function hubRoutes(deps: HubRoutesDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const limit = bodyLimit({
    maxSize: BODY_MAX_BYTES,
    onError: (c) => c.text(`Request body too large (at most ${BODY_MAX_BYTES} bytes)`, 413),
  });
  app.post(PATHS.hub, limit, async (c) => {
    const bad = (reason: string, status: 400 | 429 = 400) => {
      logger.info("Refused a hub request: {reason}", { reason, requestId: c.get("requestId") });
      return c.body(`${reason}\n`, status, PLAIN);
    };
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
      return bad(
        "the body must be application/x-www-form-urlencoded (hub.mode, hub.topic, hub.callback)",
      );
    }
    const form = new URLSearchParams(await c.req.text());
    const parsed = parseHubRequest(form, deps.rules);
    if (!parsed.ok) return bad(parsed.reason);
    const { request } = parsed;
    // No DNS here: a name is checked where it is connected to (net/pinned-connect.ts),
    // so a request never waits on a lookup; an address literal is refused at once.
    const literal = request.callback.hostname.replace(/^\[|\]$/g, "");
    if (!deps.allowPrivate && isIP(literal) !== 0 && isSpecialAddress(literal)) {
      return bad(
        `hub.callback is refused: ${literal} is a private or loopback address (or another reserved one)`,
      );
    }
    const callback = request.callback.href;
    const domain = callbackDomain(request.callback);
    if (request.mode === "subscribe") {
      const now = deps.clock();
      if ((await deps.store.countSubscriptionsForDomain(domain, now)) >= deps.maxPerDomain) {
        const renewal = await deps.store.getSubscription(request.topic, callback, now);
        if (renewal === null) {
          return bad(
            `hub.callback domain ${domain} already has ${deps.maxPerDomain} subscriptions`,
            429,
          );
        }
      }
    }
    const place = await deps.pending.reserve({
      domain,
      mode: request.mode,
      topic: request.topic,
      callback,
    });
    if (!place.taken) {
      // Already pending: that verification answers this request too.
      if (place.reason === null) return c.body(null, 202);
      return bad(`too many verifications pending: ${place.reason}; try again later`, 429);
    }
    const message: VerifyMessage = {
      type: "websub",
      action: "verify",
      mode: request.mode,
      topic: request.topic,
      callback,
      secret: request.secret,
      leaseSeconds: request.leaseSeconds,
      attempt: 0,
    };
    await deps.queue.enqueue(message);
    return c.body(null, 202);
  });
  app.on(["GET", "HEAD", "PUT", "DELETE", "PATCH"], PATHS.hub, (c) =>
    c.body("The WebSub hub takes POST requests (hub.mode, hub.topic, hub.callback)\n", 405, {
      ...PLAIN,
      Allow: "POST",
    }),
  );
  return app;
}
