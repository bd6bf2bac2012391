/**
 * A real store with followers, a queue and deliveries in it, for the
 * `npm run status` suites; and a check of whether the store records delivery
 * progress yet (`DeliveryStore`, being implemented beside this work).
 */
import type { DeliveryStore } from "../../src/storage/deliveries.ts";
import type { Storage } from "../../src/storage/open.ts";
import type { Store } from "../../src/storage/store.ts";
import type { Backend } from "../storage/backends.ts";
import { delay } from "../storage/backends.ts";

/** The store with its delivery records; throws (as the CLI does) when it has none. */
export function deliveriesOf(store: Store): Store & DeliveryStore {
  const candidate = store as Store & Partial<DeliveryStore>;
  for (const method of ["recordPending", "recordDelivered", "recordFailure"] as const) {
    if (typeof candidate[method] !== "function") throw new Error(`the store has no ${method}`);
  }
  if (typeof candidate.listActivityProgress !== "function") {
    throw new Error("the store has no listActivityProgress");
  }
  return candidate as Store & DeliveryStore;
}

/**
 * Whether `backend`'s store records deliveries, found by opening a real one.
 * Until it does, the suites that need it are skipped with a message saying so.
 */
export async function recordsDeliveries(backend: Backend): Promise<boolean> {
  if (!backend.available) return false;
  const storage = await (await backend.target()).open();
  try {
    deliveriesOf(storage.store);
    return true;
  } catch (error) {
    console.warn(
      `npm run status suites on ${backend.name} skipped: ${(error as Error).message} yet ` +
        "(DeliveryStore in src/storage/deliveries.ts). They run once the store implements it.",
    );
    return false;
  } finally {
    await storage.close();
  }
}

export const ACTIVITY_A = "https://tin.cualo.vn/activities/le-hoi/create/1";
export const ACTIVITY_B = "https://tin.cualo.vn/activities/cai-cach/update/2";
export const T0 = new Date("2026-05-01T01:00:00Z");

/** Inboxes of the fan-out: one per server (shared inboxes). */
export const INBOX = {
  social: "https://mastodon.social/inbox",
  example: "https://social.example:8443/inbox",
  down: "https://down.example/inbox",
  gone: "https://gone.example/inbox",
} as const;

/**
 * Six followers on three servers; activity A to four inboxes (one delivered,
 * one being retried, one given up, one waiting), then B to two (both
 * delivered); two queued messages, one of them delayed.
 */
export async function seed(storage: Storage): Promise<void> {
  const store = deliveriesOf(storage.store);
  const servers = [
    ["mastodon.social", 3],
    ["social.example:8443", 2],
    ["down.example", 1],
  ] as const;
  let n = 0;
  for (const [host, count] of servers) {
    for (let i = 0; i < count; i++, n++) {
      await store.addFollower({
        actorId: `https://${host}/users/u${n}`,
        followId: `https://${host}/follows/${n}`,
        inbox: `https://${host}/users/u${n}/inbox`,
        sharedInbox: `https://${host}/inbox`,
        createdAt: new Date(T0.getTime() - 86_400_000 + n * 1000),
      });
    }
  }

  await store.recordPending(ACTIVITY_A, Object.values(INBOX), T0);
  await store.recordDelivered(ACTIVITY_A, INBOX.social, new Date(T0.getTime() + 1000));
  await store.recordFailure(
    ACTIVITY_A,
    INBOX.down,
    "HTTP 503",
    false,
    new Date(T0.getTime() + 2000),
  );
  await store.recordFailure(
    ACTIVITY_A,
    INBOX.gone,
    "HTTP 410",
    true,
    new Date(T0.getTime() + 3000),
  );

  const later = new Date(T0.getTime() + 60_000);
  await store.recordPending(ACTIVITY_B, [INBOX.social, INBOX.example], later);
  await store.recordDelivered(ACTIVITY_B, INBOX.social, later);
  await store.recordDelivered(ACTIVITY_B, INBOX.example, later);

  await storage.lanes.delivery.enqueue({ type: "test", n: 1 });
  await storage.lanes.delivery.enqueue({ type: "test", n: 2 }, { delay: delay(3_600_000) });
}
