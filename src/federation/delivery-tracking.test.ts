import type { MessageQueue } from "@fedify/fedify";
import { describe, expect, it } from "vitest";
import type { GroupedListenOptions } from "../storage/queue-listener.ts";
import { trackDeliveries } from "./delivery-tracking.ts";
import { deliveryServerOf } from "./message-kinds.ts";

/** A queue that hands each enqueued message to the listener at once, in process. */
function memoryQueue() {
  let handler: ((message: unknown) => Promise<void> | void) | null = null;
  const enqueued: unknown[] = [];
  let listenOptions: GroupedListenOptions | undefined;
  const queue: MessageQueue = {
    async enqueue(message: unknown) {
      enqueued.push(message);
    },
    async listen(h: (message: unknown) => Promise<void> | void, options?: GroupedListenOptions) {
      handler = h;
      listenOptions = options;
    },
  } as MessageQueue;
  return {
    queue,
    enqueued,
    options: () => listenOptions,
    deliver: async (message: unknown) => handler?.(message),
  };
}

function recordingStore() {
  const calls: string[] = [];
  return {
    calls,
    store: {
      recordPending: async (activity: string, inboxes: readonly string[]) => {
        calls.push(`pending ${activity} ${inboxes.join(",")}`);
      },
      recordDelivered: async (activity: string, inbox: string) => {
        calls.push(`delivered ${activity} ${inbox}`);
      },
      recordFailure: async (activity: string, inbox: string, error: string, final: boolean) => {
        calls.push(`${final ? "failed" : "retry"} ${activity} ${inbox} ${error}`);
      },
      isBlocked: async () => false,
      listActivityProgress: async () => [],
      countPendingDeliveries: async () => 0,
      countFailingDeliveries: async () => 0,
    },
  };
}

const outbox = (attempt = 0) => ({
  type: "outbox",
  activityId: "https://tin.example/activities/1",
  inbox: "https://peer.example:8443/inbox",
  attempt,
});

describe("trackDeliveries", () => {
  it("records a delivery whose handling reported no failure as delivered", async () => {
    const inner = memoryQueue();
    const { store, calls } = recordingStore();
    const tracking = trackDeliveries(inner.queue, {
      store,
      clock: () => new Date(),
      maxAttempts: 3,
    });
    await tracking.queue.listen(() => {});
    await inner.deliver(outbox());
    expect(calls).toEqual([
      "delivered https://tin.example/activities/1 https://peer.example:8443/inbox",
    ]);
  });

  it("keeps a delivery the circuit breaker put back unsent pending, not delivered", async () => {
    const inner = memoryQueue();
    const { store, calls } = recordingStore();
    const tracking = trackDeliveries(inner.queue, {
      store,
      clock: () => new Date(),
      maxAttempts: 3,
    });
    // As Fedify does while the server's circuit is open: a copy re-enqueued, no request.
    await tracking.queue.listen(async (message) => {
      await tracking.queue.enqueue({ ...(message as object), circuitHeld: true });
    });
    await inner.deliver(outbox());
    expect(calls.filter((c) => c.startsWith("delivered"))).toEqual([]);
    expect(inner.enqueued).toHaveLength(1);
  });

  it("records a failed attempt as pending its retry, and the last one as failed", async () => {
    const inner = memoryQueue();
    const { store, calls } = recordingStore();
    const tracking = trackDeliveries(inner.queue, {
      store,
      clock: () => new Date(),
      maxAttempts: 3,
    });
    await tracking.queue.listen(() => tracking.failed(new Error("connect timeout")));
    await inner.deliver(outbox(0));
    await inner.deliver(outbox(2));
    expect(calls).toEqual([
      "retry https://tin.example/activities/1 https://peer.example:8443/inbox connect timeout",
      "failed https://tin.example/activities/1 https://peer.example:8443/inbox connect timeout",
    ]);
  });

  it("records a delivery given up without an attempt (its hold expired) as failed for good", async () => {
    const inner = memoryQueue();
    const { store, calls } = recordingStore();
    const tracking = trackDeliveries(inner.queue, {
      store,
      clock: () => new Date(),
      maxAttempts: 3,
    });
    await tracking.queue.listen(() => tracking.gaveUp("held too long"));
    await inner.deliver(outbox(0));
    expect(calls).toEqual([
      "failed https://tin.example/activities/1 https://peer.example:8443/inbox held too long",
    ]);
  });

  it("groups deliveries by server for the queue when a cap is set", async () => {
    const inner = memoryQueue();
    const { store } = recordingStore();
    const tracking = trackDeliveries(inner.queue, {
      store,
      clock: () => new Date(),
      maxAttempts: 3,
      perServer: 2,
    });
    await tracking.queue.listen(() => {});
    expect(inner.options()?.perGroup).toBe(2);
    expect(inner.options()?.groupOf?.(outbox())).toBe("peer.example:8443");
    expect(deliveryServerOf({ type: "inbox", activity: {} })).toBeNull();
  });
});
