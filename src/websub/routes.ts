/**
 * `POST /websub`: the hub's one endpoint (WebSub §5.1). A request is checked
 * at once (400 with the field and the reason), then answered 202 while the
 * verification of intent runs from the queue (§5.3).
 */

import type { MessageQueue } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Clock } from "../clock.ts";
import type { HubStore } from "../storage/hub.ts";
import { PATHS } from "../urls.ts";
import type { WebEnv } from "../web/header-policy.ts";
import type { AddressGuard } from "./address.ts";
import type { VerifyMessage } from "./messages.ts";
import { type HubRequestRules, parseHubRequest } from "./request.ts";

const logger = getLogger(["loa", "websub", "hub"]);

/** Form fields only: a few URLs and a secret. */
const BODY_MAX_BYTES = 8 * 1024;

export interface HubRoutesDeps {
  rules: HubRequestRules;
  guard: AddressGuard;
  store: HubStore;
  queue: MessageQueue;
  clock: Clock;
  maxPerHost: number;
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
    const refusal = await deps.guard.refusal(request.callback);
    if (refusal !== null) return bad(`hub.callback is refused: ${refusal}`);
    const callback = request.callback.href;
    if (request.mode === "subscribe") {
      const now = deps.clock();
      const host = request.callback.host;
      if ((await deps.store.countSubscriptionsForHost(host, now)) >= deps.maxPerHost) {
        const renewal = (await deps.store.listSubscriptions(request.topic, now)).some(
          (s) => s.callback === callback,
        );
        if (!renewal) {
          return bad(`hub.callback host ${host} already has ${deps.maxPerHost} subscriptions`, 429);
        }
      }
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
