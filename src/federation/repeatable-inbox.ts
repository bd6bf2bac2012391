/**
 * Lets a peer's repeated request reach the inbox listener again.
 *
 * Why: Fedify's queued inbox remembers each processed activity id for a day
 * (`["_fedify", "activityIdempotence", origin, id]`) and drops a repeat
 * before any listener sees it; the inbox's `withIdempotency` strategy applies
 * only before the queue, not there. A peer sends its Follow (or QuoteRequest)
 * again, same id, when our answer never reached it; dropped, its user's
 * follow stays "pending" for good. So the key–value store Fedify is given
 * skips remembering the ids a listener marked as answerable again (their
 * listeners are idempotent). Marking happens in the process that handles the
 * message, just before Fedify records it, so it holds with separate workers.
 */
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";

/** Fedify's default `kvPrefixes.activityIdempotence`. */
export const IDEMPOTENCE_PREFIX: KvKey = ["_fedify", "activityIdempotence"];

/** What {@link repeatableInbox} returns. */
export interface RepeatableInbox {
  /** The store to give Fedify. */
  kv: KvStore;
  /** Called by a listener that handled `activityId`: Fedify will not remember it. */
  allowRepeat(activityId: string): void;
}

/** Marked ids waiting for Fedify's write; bounded in case a write never comes. */
const MAX_PENDING = 1000;

export function repeatableInbox(inner: KvStore): RepeatableInbox {
  const pending = new Set<string>();
  const isIdempotenceKey = (key: KvKey) =>
    key.length === IDEMPOTENCE_PREFIX.length + 2 &&
    IDEMPOTENCE_PREFIX.every((part, i) => key[i] === part);
  const kv: KvStore = {
    get: <T = unknown>(key: KvKey) => inner.get<T>(key),
    async set(key: KvKey, value: unknown, options?: KvStoreSetOptions) {
      const id = key.at(-1);
      if (id !== undefined && isIdempotenceKey(key) && pending.delete(id)) return;
      await inner.set(key, value, options);
    },
    delete: (key: KvKey) => inner.delete(key),
    list: (prefix?: KvKey): AsyncIterable<KvStoreListEntry> => inner.list(prefix),
  };
  if (inner.cas) {
    const cas = inner.cas.bind(inner);
    kv.cas = (key, expected, value, options) => cas(key, expected, value, options);
  }
  return {
    kv,
    allowRepeat(activityId) {
      if (pending.size >= MAX_PENDING) pending.clear();
      pending.add(activityId);
    },
  };
}
