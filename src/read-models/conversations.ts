/**
 * What each article page shows under the article (counts, approved public
 * replies), read from the store and kept in memory, so a page stays a render
 * cache hit: the store is asked at most once per article every
 * {@link REVALIDATE_MS} (in the background), and at once when this process
 * stored a change. Another process's change (a worker handling the inbox on
 * PostgreSQL) shows within that interval.
 */
import { createHash } from "node:crypto";
import { getLogger } from "@logtape/logtape";
import type { AvatarCache } from "../avatars/cache.ts";
import type { Clock } from "../clock.ts";
import type { Interaction, InteractionCounts, InteractionStore } from "../storage/interactions.ts";

const logger = getLogger(["loa", "web", "conversations"]);

/** How stale a conversation may be before a request refreshes it in the background. */
export const REVALIDATE_MS = 2000;
/** Replies shown under one article at most (the rest stay in the `replies` collection). */
export const MAX_SHOWN = 500;
const MAX_ARTICLES = 2000;

export interface Conversation {
  counts: InteractionCounts;
  /** Approved public replies, oldest first. */
  replies: Interaction[];
  /** Changes whenever what the page shows changes (part of the render cache key). */
  stamp: string;
  /** The latest change among them (for the page's Last-Modified). */
  changedAt: Date | null;
}

export interface Conversations {
  /** The conversation in memory, or undefined (not loaded yet). A stale one is refreshed in the background. */
  peek(slug: string): Conversation | undefined;
  /** The conversation, loading it when it is not in memory. */
  load(slug: string): Promise<Conversation>;
  /** Something changed for `slug` (null: for any article): refresh now. */
  changed(slug: string | null): void;
}

interface Entry {
  value: Conversation;
  checkedAt: number;
  loading: Promise<Conversation> | null;
}

async function read(store: InteractionStore, slug: string): Promise<Conversation> {
  const replies: Interaction[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.listInteractions({
      slug,
      kind: "reply",
      state: "approved",
      visibility: "public",
      cursor,
      limit: Math.min(200, MAX_SHOWN - replies.length),
    });
    replies.push(...page.items);
    cursor = page.next;
  } while (cursor !== null && replies.length < MAX_SHOWN);
  const counts = await store.countInteractions(slug);
  let changedAt: Date | null = null;
  for (const r of replies) {
    const t = r.updated ?? r.receivedAt;
    if (changedAt === null || t > changedAt) changedAt = t;
  }
  const stamp = createHash("sha256")
    .update(JSON.stringify([counts, replies.map((r) => [r.id, r.updated?.getTime() ?? 0])]))
    .digest("base64url")
    .slice(0, 16);
  return { counts, replies, stamp, changedAt };
}

export function createConversations(deps: {
  store: InteractionStore;
  clock: Clock;
  /** Told which avatars the replies show, to fetch in the background (none: placeholders). */
  avatars?: Pick<AvatarCache, "want">;
}): Conversations {
  const entries = new Map<string, Entry>();
  const refresh = (slug: string, entry: Entry | undefined): Promise<Conversation> => {
    if (entry?.loading) return entry.loading;
    const loading = read(deps.store, slug).then(
      (value) => {
        deps.avatars?.want(value.replies.map((r) => r.author.avatarUrl));
        entries.delete(slug);
        entries.set(slug, { value, checkedAt: deps.clock().getTime(), loading: null });
        if (entries.size > MAX_ARTICLES) {
          const oldest = entries.keys().next().value;
          if (oldest !== undefined) entries.delete(oldest);
        }
        return value;
      },
      (error: unknown) => {
        const current = entries.get(slug);
        if (current) current.loading = null;
        throw error;
      },
    );
    if (entry) entry.loading = loading;
    return loading;
  };
  const background = (slug: string, entry: Entry | undefined) => {
    refresh(slug, entry).catch((error: unknown) =>
      logger.warning("Could not read the conversation of {slug}: {error}", { slug, error }),
    );
  };
  return {
    peek(slug) {
      const entry = entries.get(slug);
      if (entry === undefined) return undefined;
      if (deps.clock().getTime() - entry.checkedAt > REVALIDATE_MS) background(slug, entry);
      return entry.value;
    },
    async load(slug) {
      const entry = entries.get(slug);
      return entry ? entry.value : refresh(slug, undefined);
    },
    changed(slug) {
      const stale = slug === null ? [...entries.keys()] : [slug];
      for (const s of stale) {
        const entry = entries.get(s);
        if (entry) background(s, entry);
      }
    },
  };
}

const NOTHING_SAID: Conversation = Object.freeze({
  counts: Object.freeze({ replies: 0, likes: 0, announces: 0 }),
  replies: [],
  stamp: "none",
  changedAt: null,
}) as Conversation;

/** No conversation under any article: for serving a site without a store (site-only tests, tools). */
export const NO_CONVERSATIONS: Conversations = {
  peek: () => NOTHING_SAID,
  load: async () => NOTHING_SAID,
  changed: () => {},
};
