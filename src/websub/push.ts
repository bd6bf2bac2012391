/**
 * Content distribution (WebSub §7, §8): one POST of the topic's body to one
 * subscriber, signed with its secret. A 2xx is done; a 410 means the
 * subscriber is gone (its subscription is removed); anything else, or no
 * answer within the time limit, is retried with backoff. Each push is its own
 * queue message, so a subscriber that hangs holds up only one worker.
 */
import { createHmac } from "node:crypto";
import type { MessageQueue } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Clock } from "../clock.ts";
import type { HubStore } from "../storage/hub.ts";
import type { TopicBodies } from "./bodies.ts";
import type { PushMessage } from "./messages.ts";
import type { CallbackClient } from "./outbound.ts";
import { type RetryPolicy, retryLater } from "./retry.ts";

const logger = getLogger(["loa", "websub", "push"]);

export interface PushDeps {
  store: HubStore;
  bodies: TopicBodies;
  client: CallbackClient;
  queue: MessageQueue;
  clock: Clock;
  retry: RetryPolicy;
}

export type PushOutcome = "delivered" | "retry" | "failed" | "gone" | "skipped";

/** `sha256=` and the hex HMAC-SHA256 of `body` under `secret` (§8). */
export function hubSignature(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export async function push(deps: PushDeps, message: PushMessage): Promise<PushOutcome> {
  const now = deps.clock();
  let { secret, expiresAt } = message;
  if (message.attempt > 0) {
    // A retry may come hours later: the subscriber may have left, renewed or
    // changed its secret since.
    // One row, not the topic's list: a retry per subscriber would otherwise read them all.
    const current = await deps.store.getSubscription(message.topic, message.callback, now);
    if (current === null) return "skipped";
    secret = current.secret;
    expiresAt = current.expiresAt.getTime();
  }
  if (expiresAt <= now.getTime()) return "skipped";
  const topic = await deps.bodies.get(message.topic, message.etag);
  // Gone: a newer body replaced it, and that one has its own pushes.
  if (topic === undefined) return "skipped";

  const body = Buffer.from(topic.body, "utf8");
  const headers: Record<string, string> = { "Content-Type": topic.contentType, Link: topic.link };
  if (secret !== null) headers["X-Hub-Signature"] = hubSignature(secret, body);
  const res = await deps.client.send(new URL(message.callback), {
    method: "POST",
    headers,
    body,
  });
  const log = { topic: message.topic, callback: message.callback, attempt: message.attempt };
  if (!("error" in res)) {
    await res.body?.cancel();
    if (res.status >= 200 && res.status < 300) return "delivered";
    if (res.status === 410) {
      await deps.store.removeSubscription(message.topic, message.callback);
      logger.info("{callback} answered 410 Gone: its subscription to {topic} ends", log);
      return "gone";
    }
  }
  const reason = "error" in res ? res.error : `HTTP ${res.status}`;
  const again = await retryLater(deps.queue, deps.retry, message);
  logger.warning("Push of {topic} to {callback} failed ({reason}); {next}", {
    ...log,
    reason,
    next: again ? "will retry" : "giving up",
  });
  return again ? "retry" : "failed";
}
