/**
 * The hub shares the durable queue with Fedify's deliveries. Fedify's queue
 * handler (2.3.8, `processQueuedTask`) acts on `fanout`, `outbox` and `inbox`
 * messages and silently drops any other type, so the queue handed to Fedify
 * is wrapped: a `websub` message is handled here and never reaches Fedify;
 * everything else passes through untouched. Sharing one queue (rather than a
 * second table) keeps one set of workers, leases and metrics.
 */
import type { MessageQueue, MessageQueueListenOptions } from "@fedify/fedify";
import { type HubMessage, isHubMessage } from "./messages.ts";

export function withHubMessages(
  inner: MessageQueue,
  handle: (message: HubMessage) => Promise<void>,
): MessageQueue {
  return {
    ...(inner.nativeRetrial !== undefined ? { nativeRetrial: inner.nativeRetrial } : {}),
    enqueue: (message, options) => inner.enqueue(message, options),
    ...(inner.enqueueMany
      ? { enqueueMany: (messages, options) => inner.enqueueMany?.(messages, options) }
      : {}),
    listen(handler, options?: MessageQueueListenOptions) {
      return inner.listen(
        (message: unknown) => (isHubMessage(message) ? handle(message) : handler(message)),
        options,
      );
    },
    ...(inner.getDepth ? { getDepth: () => inner.getDepth?.() } : {}),
  } as MessageQueue;
}
