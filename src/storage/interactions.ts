/**
 * What citizens send back: replies, mentions, likes and boosts, and the
 * town's blocks. Part of {@link Store}; implemented on SQLite and PostgreSQL
 * and run through the shared storage suite.
 */
import type { Page } from "./cursor.ts";

export type InteractionKind = "reply" | "mention" | "like" | "announce";

/** Who could see it where it was posted: Public in `to`/`cc`, followers only, or addressed people only. */
export type Visibility = "public" | "followers" | "direct";

/** Staff's decision on a reply or mention (likes and boosts are always `approved`). */
export type ModerationState = "pending" | "approved" | "rejected";

/** The remote actor as shown beside what it sent (fetched once, when it arrived). */
export interface RemoteAuthor {
  /** Actor id (URL). */
  actorId: string;
  /** Display name, or null when the actor has none. */
  name: string | null;
  /** `@user@host`, or null when it could not be worked out. */
  handle: string | null;
  /** Avatar image URL. */
  avatarUrl: string | null;
  /** The profile page (the actor's `url`, else its id). */
  profileUrl: string | null;
}

export interface Interaction {
  /**
   * Unique id: the reply's or mention's Note id; the Like's, EmojiReact's or
   * Announce's activity id.
   */
  id: string;
  kind: InteractionKind;
  author: RemoteAuthor;
  /** Our article it belongs to (the thread's root), or null (a mention outside any thread). */
  slug: string | null;
  /** For a reply: the object it answers (one of our Notes, or another reply in the thread). */
  inReplyTo: string | null;
  /** The reply's page on its own server (its `url`), for "view original". */
  url: string | null;
  /** BCP 47 language of the reply's content, when it says. */
  language: string | null;
  /** The content, already sanitized (replies and mentions); null for likes and boosts. */
  html: string | null;
  visibility: Visibility;
  state: ModerationState;
  /** When the author says it was written. */
  published: Date;
  /** When the author last edited it (an Update), or null. */
  updated: Date | null;
  /** When this server first stored it. */
  receivedAt: Date;
}

/** What {@link InteractionStore.putInteraction} did. */
export type PutResult = "created" | "updated" | "unchanged" | "refused";

export interface InteractionCounts {
  /** Approved public replies. */
  replies: number;
  likes: number;
  announces: number;
}

export interface InteractionQuery {
  slug?: string;
  kind?: InteractionKind | readonly InteractionKind[];
  state?: ModerationState;
  visibility?: Visibility;
  /** Only those from this actor. */
  actorId?: string;
  cursor?: string | null;
  /** Clamped to at least 1. */
  limit: number;
  /**
   * By `published`, then id. Default `"asc"` (oldest first, as a thread
   * reads); `"desc"` for the newsroom.
   */
  order?: "asc" | "desc";
}

export type BlockKind = "actor" | "domain";

export interface Block {
  kind: BlockKind;
  /** An actor id (URL), or a host name with its port when not the default (`social.example`, `social.example:8443`). */
  value: string;
  createdAt: Date;
  /** The staff member who blocked it, when done from the newsroom. */
  by: string | null;
}

export interface InteractionStore {
  /**
   * Stores an interaction, or replaces an existing one with the same id only
   * when `interaction.author.actorId` owns it (`"refused"` otherwise, nothing
   * changed). Replacing keeps the stored `state` and `receivedAt`. A
   * re-delivery with nothing new (same html, updated, visibility) answers
   * `"unchanged"`.
   */
  putInteraction(interaction: Interaction): Promise<PutResult>;
  getInteraction(id: string): Promise<Interaction | null>;
  /** Removes it only when `actorId` owns it. Returns true when removed. */
  removeInteraction(id: string, actorId: string): Promise<boolean>;
  /**
   * Removes `actorId`'s like or boost of `slug` (an `Undo` whose embedded
   * activity id we never stored). Returns how many rows went.
   */
  removeReaction(actorId: string, kind: "like" | "announce", slug: string): Promise<number>;
  /** Removes everything from `actorId` (its account was deleted, or blocked). Returns the count. */
  removeInteractionsBy(actorId: string): Promise<number>;
  /** Removes everything from actors on `host` (a domain block). Returns the count. */
  removeInteractionsFromHost(host: string): Promise<number>;
  /** Sets the staff's decision. Returns false when there is no such interaction. */
  setModeration(id: string, state: ModerationState): Promise<boolean>;
  listInteractions(query: InteractionQuery): Promise<Page<Interaction>>;
  /** Counts for one article's Note and page. */
  countInteractions(slug: string): Promise<InteractionCounts>;
  /** Interactions in `state`, of `kinds` (for the newsroom and metrics). */
  countByState(state: ModerationState, kinds: readonly InteractionKind[]): Promise<number>;

  /** Adds a block (idempotent). Returns true when it is new. */
  addBlock(block: Block): Promise<boolean>;
  removeBlock(kind: BlockKind, value: string): Promise<boolean>;
  listBlocks(): Promise<Block[]>;
  /** True when `actorId` itself, or its host (with port when not the default), is blocked. */
  isBlocked(actorId: string): Promise<boolean>;
  /** Removes the followers whose actor is on `host`. Returns how many. */
  removeFollowersFromHost(host: string): Promise<number>;
}

/** The host a block of a domain names for `url`: `host` includes the port only when it is not the default. */
export function blockHost(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}
