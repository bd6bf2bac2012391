/**
 * The one wrapper around a `MessageQueue`: it sees what is enqueued and wraps
 * each message's handling, and passes everything else (delays, ordering
 * keys, depth, `nativeRetrial`) through unchanged.
 */
import type {
  MessageQueue,
  MessageQueueDepth,
  MessageQueueEnqueueOptions,
  MessageQueueListenOptions,
} from "@fedify/fedify";
import type { GroupedListenOptions } from "./queue-listener.ts";

export interface QueueDecoration {
  /** Before each message is enqueued (in the caller's async context). */
  beforeEnqueue?(message: unknown): void;
  /** Once `messages` are written. */
  enqueued?(messages: readonly unknown[]): Promise<void>;
  /** Handles one message; `next` is the consumer's own handler. */
  handle?(message: unknown, next: (message: unknown) => Promise<void>): Promise<void>;
  /** What the decorated queue's `listen` passes to the inner one (Loa's queues read groups). */
  listenOptions?(options: MessageQueueListenOptions | undefined): GroupedListenOptions;
}

export function decorateQueue(inner: MessageQueue, decoration: QueueDecoration): MessageQueue {
  const enqueueMany = async (
    messages: readonly unknown[],
    options?: MessageQueueEnqueueOptions,
  ): Promise<void> => {
    for (const m of messages) decoration.beforeEnqueue?.(m);
    if (inner.enqueueMany) await inner.enqueueMany(messages, options);
    else for (const m of messages) await inner.enqueue(m, options);
    await decoration.enqueued?.(messages);
  };
  const queue: MessageQueue = {
    ...(inner.nativeRetrial !== undefined ? { nativeRetrial: inner.nativeRetrial } : {}),
    enqueue: (message: unknown, options?: MessageQueueEnqueueOptions) =>
      enqueueMany([message], options),
    enqueueMany,
    listen(handler: (message: unknown) => Promise<void> | void, options) {
      const next = async (message: unknown) => {
        await handler(message);
      };
      const handle = decoration.handle;
      return inner.listen(
        handle ? (message: unknown) => handle(message, next) : handler,
        decoration.listenOptions ? decoration.listenOptions(options) : options,
      );
    },
  };
  const depth = inner.getDepth?.bind(inner);
  return depth ? { ...queue, getDepth: (): Promise<MessageQueueDepth> => depth() } : queue;
}
