/**
 * The hub's work, as messages on the hub's lane of the durable queue (so it
 * survives restarts and is retried with backoff, and never waits in front of
 * a delivery: see `storage/lanes.ts`).
 */

/** Check with the subscriber that it asked (WebSub §5.3), then store or remove. */
export interface VerifyMessage {
  type: "websub";
  action: "verify";
  mode: "subscribe" | "unsubscribe";
  topic: string;
  callback: string;
  secret: string | null;
  leaseSeconds: number;
  /** A failed attempt (no answer, 5xx) is retried; a wrong answer is not. */
  attempt: number;
}

/** POST the topic's body as of `etag` to one subscriber (WebSub §7). */
export interface PushMessage {
  type: "websub";
  action: "push";
  topic: string;
  /** Names the stored body (`distribute.ts`); a retry of a superseded one is dropped. */
  etag: string;
  callback: string;
  secret: string | null;
  /** The lease's end (ms since the epoch): nothing is pushed after it. */
  expiresAt: number;
  attempt: number;
}

export type HubMessage = VerifyMessage | PushMessage;

export function isHubMessage(message: unknown): message is HubMessage {
  if (typeof message !== "object" || message === null) return false;
  const m = message as Record<string, unknown>;
  return m.type === "websub" && (m.action === "verify" || m.action === "push");
}
