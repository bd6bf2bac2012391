import type { MessageQueue } from "@fedify/fedify";
import { Temporal as Polyfill } from "@js-temporal/polyfill";

/** When failed hub requests are tried again (the delivery settings: `DELIVERY_RETRY_*`). */
export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
  maxAttempts: number;
}

/** The wait before attempt `attempt + 1`: doubling from `initialMs`, capped at `maxMs`. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 40));
}

/**
 * Enqueues `message` again after the backoff; false when it has had its
 * attempts. The cast: Fedify's types name TypeScript's Temporal lib, its
 * runtime (and our queues) take the polyfill's Duration (see publish/temporal.ts).
 */
export async function retryLater<M extends { attempt: number }>(
  queue: MessageQueue,
  policy: RetryPolicy,
  message: M,
): Promise<boolean> {
  if (message.attempt + 1 >= policy.maxAttempts) return false;
  const delay = Polyfill.Duration.from({ milliseconds: backoffMs(policy, message.attempt) });
  await queue.enqueue(
    { ...message, attempt: message.attempt + 1 },
    { delay: delay as unknown as Temporal.Duration },
  );
  return true;
}
