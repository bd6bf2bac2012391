/**
 * What each topic looked like when it was last distributed, in Fedify's
 * key–value store (durable, shared by every process): the ETag, so a restart
 * neither pushes an unchanged feed again nor misses a change made while it
 * was down; and the body pushed for that ETag, so every process that
 * consumes the queue (a `worker` has no rendered feeds) pushes the same
 * bytes, as they were when the change was seen.
 */
import type { KvStore } from "@fedify/fedify";

/** A topic's body as distributed. */
export interface TopicBody {
  etag: string;
  contentType: string;
  /** The feed's `Link` header (`rel="hub"`, `rel="self"`), sent with every push. */
  link: string;
  body: string;
}

const lastKey = (topic: string) => ["loa", "websub", "last", topic] as const;
const bodyKey = (topic: string, etag: string) => ["loa", "websub", "body", topic, etag] as const;

export interface TopicBodies {
  /** The ETag last distributed for `topic`, if any. */
  last(topic: string): Promise<string | undefined>;
  get(topic: string, etag: string): Promise<TopicBody | undefined>;
  /** Stores the body (before its pushes are enqueued). */
  put(topic: string, body: TopicBody): Promise<void>;
  /** Marks `etag` distributed (after the enqueue), dropping the body it replaces. */
  markDistributed(topic: string, etag: string): Promise<void>;
}

export function topicBodies(kv: KvStore): TopicBodies {
  return {
    last: (topic) => kv.get<string>(lastKey(topic)),
    get: (topic, etag) => kv.get<TopicBody>(bodyKey(topic, etag)),
    put: (topic, body) => kv.set(bodyKey(topic, body.etag), body),
    async markDistributed(topic, etag) {
      const previous = await kv.get<string>(lastKey(topic));
      await kv.set(lastKey(topic), etag);
      // A retry still queued for the old body finds it gone and is dropped:
      // the new body has its own pushes.
      if (previous !== undefined && previous !== etag) await kv.delete(bodyKey(topic, previous));
    },
  };
}
