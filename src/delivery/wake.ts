/**
 * The delivery lane as the serving thread enqueues into it, telling the
 * delivery threads (started on demand, see `threads.ts`) when work is due now.
 */
import type { MessageQueueEnqueueOptions } from "@fedify/fedify";
import type { LaneQueue } from "../storage/lanes.ts";
import { delayMs } from "../storage/queue-enqueue.ts";

/** `queue`, calling `due` after each enqueue of messages ready at once (not a delayed retry). */
export function wakeOnEnqueue(queue: LaneQueue, due: () => void): LaneQueue {
  const after = (options: MessageQueueEnqueueOptions | undefined) => {
    if (delayMs(options?.delay) === 0) due();
  };
  const wrapped: LaneQueue = {
    enqueue: async (message, options) => {
      await queue.enqueue(message, options);
      after(options);
    },
    enqueueMany: async (messages, options) => {
      await queue.enqueueMany(messages, options);
      after(options);
    },
    listen: (handler, options) => queue.listen(handler, options),
    getDepth: () => queue.getDepth(),
    oldestDueSeconds: () => queue.oldestDueSeconds(),
  };
  return queue.nativeRetrial === undefined
    ? wrapped
    : { ...wrapped, nativeRetrial: queue.nativeRetrial };
}
