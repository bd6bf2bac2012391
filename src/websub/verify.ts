/**
 * Verification of intent (WebSub §5.3): before a subscription is kept or
 * removed, the hub asks the callback, with a challenge it must echo. Only a
 * 2xx carrying exactly the challenge counts; a refusal or a wrong answer
 * ends it there, while no answer at all (or a 5xx) is tried again later.
 */
import { randomBytes } from "node:crypto";
import type { MessageQueue } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Clock } from "../clock.ts";
import { callbackDomain, type HubStore } from "../storage/hub.ts";
import type { VerifyMessage } from "./messages.ts";
import type { CallbackClient } from "./outbound.ts";
import { readSmallText } from "./outbound.ts";
import type { PendingVerifications } from "./pending.ts";
import { type RetryPolicy, retryLater } from "./retry.ts";

const logger = getLogger(["loa", "websub", "verify"]);

/** A challenge echoed back is small; a callback that sends more is not echoing it. */
const ANSWER_MAX_BYTES = 1024;

export interface VerifyDeps {
  store: HubStore;
  client: CallbackClient;
  queue: MessageQueue;
  clock: Clock;
  retry: RetryPolicy;
  /** Subscriptions per registrable domain (`WEBSUB_MAX_PER_HOST`). */
  maxPerDomain: number;
  pending: PendingVerifications;
}

export type VerifyOutcome = "verified" | "denied" | "retry" | "failed";

export async function verifyIntent(
  deps: VerifyDeps,
  message: VerifyMessage,
): Promise<VerifyOutcome> {
  let outcome: VerifyOutcome = "failed";
  try {
    outcome = await verifyOnce(deps, message);
    return outcome;
  } finally {
    // Anything but a retry (a throw included: the task is dropped) ends the
    // verification: its place is free again.
    if (outcome !== "retry") {
      await deps.pending.release({
        domain: callbackDomain(message.callback),
        mode: message.mode,
        topic: message.topic,
        callback: message.callback,
      });
    }
  }
}

async function verifyOnce(deps: VerifyDeps, message: VerifyMessage): Promise<VerifyOutcome> {
  const challenge = randomBytes(24).toString("base64url");
  const url = new URL(message.callback);
  url.searchParams.append("hub.mode", message.mode);
  url.searchParams.append("hub.topic", message.topic);
  url.searchParams.append("hub.challenge", challenge);
  if (message.mode === "subscribe") {
    url.searchParams.append("hub.lease_seconds", String(message.leaseSeconds));
  }
  const res = await deps.client.send(url, { method: "GET" });
  const log = { mode: message.mode, topic: message.topic, callback: message.callback };
  if ("error" in res || res.status >= 500) {
    const reason = "error" in res ? res.error : `HTTP ${res.status}`;
    if (!("error" in res)) await res.body?.cancel();
    const again = await retryLater(deps.queue, deps.retry, message);
    logger.warning("Could not verify {mode} of {callback} to {topic}: {reason}", {
      ...log,
      reason,
    });
    return again ? "retry" : "failed";
  }
  const answer = await readSmallText(res, ANSWER_MAX_BYTES);
  if (res.status < 200 || res.status >= 300 || answer?.trim() !== challenge) {
    logger.info("{callback} did not confirm its {mode} to {topic} (HTTP {status})", {
      ...log,
      status: res.status,
    });
    return "denied";
  }
  const now = deps.clock();
  if (message.mode === "unsubscribe") {
    await deps.store.removeSubscription(message.topic, message.callback);
    logger.info("{callback} unsubscribed from {topic}", log);
    return "verified";
  }
  const domain = callbackDomain(message.callback);
  const renewal = (await deps.store.getSubscription(message.topic, message.callback, now)) !== null;
  if (
    !renewal &&
    (await deps.store.countSubscriptionsForDomain(domain, now)) >= deps.maxPerDomain
  ) {
    logger.warning("Not keeping {callback}'s subscription to {topic}: {domain} has too many", {
      ...log,
      domain,
    });
    return "denied";
  }
  await deps.store.putSubscription({
    topic: message.topic,
    callback: message.callback,
    secret: message.secret,
    leaseSeconds: message.leaseSeconds,
    expiresAt: new Date(now.getTime() + message.leaseSeconds * 1000),
    createdAt: now,
  });
  logger.info("{callback} subscribed to {topic} for {lease} s", {
    ...log,
    lease: message.leaseSeconds,
  });
  return "verified";
}
