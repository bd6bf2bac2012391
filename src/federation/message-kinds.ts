/**
 * The one place that reads Fedify's queued messages. Fedify 2.3 does not
 * export the types of what it enqueues (`processQueuedTask` switches on an
 * internal `type`: `fanout`, `outbox`, `inbox`), so what Loa needs of them is
 * declared here and checked at run time.
 */

export type FedifyMessageKind = "inbox" | "outbox" | "fanout";

/** Which of Fedify's messages `message` is, or null for anything else. */
export function fedifyMessageKind(message: unknown): FedifyMessageKind | null {
  if (typeof message !== "object" || message === null) return null;
  const type = (message as { type?: unknown }).type;
  return type === "inbox" || type === "outbox" || type === "fanout" ? type : null;
}

/** The part of Fedify's (internal) outbox message, one delivery to one inbox, Loa reads. */
export interface OutboxMessage {
  type: "outbox";
  activityId?: string;
  inbox: string;
  attempt: number;
  /** Set on a copy Fedify's circuit breaker re-enqueues instead of sending. */
  circuitHeld?: boolean;
}

export function isOutbox(message: unknown): message is OutboxMessage {
  if (fedifyMessageKind(message) !== "outbox") return false;
  const m = message as Record<string, unknown>;
  return typeof m.inbox === "string" && typeof m.attempt === "number";
}

/** The server (`host:port`) a queued delivery goes to, or null for other messages. */
export function deliveryServerOf(message: unknown): string | null {
  if (!isOutbox(message)) return null;
  try {
    return new URL(message.inbox).host;
  } catch {
    return null;
  }
}
