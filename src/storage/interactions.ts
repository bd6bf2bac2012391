/**
 * What citizens send back: replies, mentions, likes and boosts, and the
 * town's blocks. Part of {@link Store}; implemented on SQLite and PostgreSQL
 * and run through the shared storage suite.
 */
import type { AuditEntry } from "./audit.ts";
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

/**
 * What {@link InteractionStore.putInteraction} did: `refused` when the id is
 * another actor's, `limited` when the actor's allowance ({@link ActorLimits})
 * would be passed; nothing changed in either case.
 */
export type PutResult = "created" | "updated" | "unchanged" | "refused" | "limited";

/** What one actor may keep stored (checked by a put that is given them). */
export interface ActorLimits {
  /** Replies and mentions of the actor waiting for the staff. */
  maxPending: number;
  /** Bytes of content (the sanitized HTML) of all the actor's replies and mentions. */
  maxBytes: number;
}

/**
 * The allowance of one remote actor. A citizen writes a few replies a week;
 * 100 waiting for the staff or 2 MiB of text (30 replies at the 64 KiB
 * maximum, thousands of ordinary ones) is far beyond that, and what a
 * hostile account can pile up before the staff block it.
 */
export const ACTOR_LIMITS: ActorLimits = { maxPending: 100, maxBytes: 2 * 1024 * 1024 };

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
   * changed). Replacing keeps `receivedAt` and the staff's decision, except
   * that an approved reply or mention whose content, thread (`inReplyTo`) or
   * visibility changes takes `interaction.state` (what a new one would get
   * under the site's policy: an approved reply is never rewritten without
   * review); a rejected one stays rejected. A re-delivery with nothing new
   * (same html, inReplyTo, visibility, updated) answers `"unchanged"`, and so
   * does a like or boost of an article the same actor already liked or
   * boosted (under any activity id): one actor counts once. With `limits`,
   * a put that would take the actor past them answers `"limited"`.
   */
  putInteraction(interaction: Interaction, options?: { limits?: ActorLimits }): Promise<PutResult>;
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
  /**
   * Removes everything from actors on `host`'s domain (a domain block): that
   * host name and its subdomains, on any port. Returns the count.
   */
  removeInteractionsFromHost(host: string): Promise<number>;
  /**
   * Sets the staff's decision. Returns false when there is no such
   * interaction. With `audit`, its record is written in the same transaction
   * when the decision is (none when there is no such interaction).
   */
  setModeration(id: string, state: ModerationState, audit?: AuditEntry): Promise<boolean>;
  listInteractions(query: InteractionQuery): Promise<Page<Interaction>>;
  /** Counts for one article's Note and page. */
  countInteractions(slug: string): Promise<InteractionCounts>;
  /** Interactions in `state`, of `kinds` (for the newsroom and metrics). */
  countByState(state: ModerationState, kinds: readonly InteractionKind[]): Promise<number>;

  /**
   * Adds a block (idempotent). Returns true when it is new. A domain is
   * stored as {@link blockDomain} names it (a port given is dropped). With
   * `audit`, the staff member's record is written in the same transaction,
   * new block or not (the attempt was made).
   */
  addBlock(block: Block, audit?: AuditEntry): Promise<boolean>;
  /** Lifts a block; with `audit`, recorded in the same transaction when there was one. */
  removeBlock(kind: BlockKind, value: string, audit?: AuditEntry): Promise<boolean>;
  listBlocks(): Promise<Block[]>;
  /**
   * True when `actorId` (any URL: an actor, an inbox) itself is blocked, or
   * a domain block covers its host ({@link domainCovers}).
   */
  isBlocked(actorId: string): Promise<boolean>;
  /** Removes the followers whose actor is on `host`'s domain (subdomains, any port). Returns how many. */
  removeFollowersFromHost(host: string): Promise<number>;
}

/** `url`'s host, with the port only when it is not the default (what the newsroom shows for a server). */
export function blockHost(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * The domain a block or a host is about: the host name, lower case (IDN in
 * punycode), without port or trailing dot; null when it is not a host.
 * `Social.Example:8443`, `social.example.` and `https://social.example/x`
 * all name `social.example`.
 */
export function blockDomain(hostOrUrl: string): string | null {
  const url = URL.parse(hostOrUrl.includes("://") ? hostOrUrl : `https://${hostOrUrl.trim()}`);
  const name = url?.hostname.toLowerCase().replace(/\.+$/, "");
  return name ? name : null;
}

/** An IP address (`[…]` for IPv6, as URLs write it), which has no parent domains. */
function isAddress(name: string): boolean {
  return name.startsWith("[") || /^[0-9.]+$/.test(name);
}

/**
 * The domains whose block covers `url`'s host: its name and every parent
 * domain (`a.b.example` → `a.b.example`, `b.example`, `example`), as
 * Mastodon's domain blocks match; an address only itself.
 */
export function coveringDomains(url: string): string[] {
  const name = blockDomain(url);
  if (name === null) return [];
  if (isAddress(name)) return [name];
  const labels = name.split(".");
  return labels.map((_, i) => labels.slice(i).join(".")).filter((d) => d !== "");
}

/**
 * Whether a block of `domain` covers `host` (a host, with or without port,
 * or a URL): the same name or a subdomain of it, on any port. A block of
 * `example.com` covers `a.b.example.com:8443`; one of `b.example.com` does
 * not cover `example.com`.
 */
export function domainCovers(domain: string, host: string): boolean {
  const blocked = blockDomain(domain);
  return blocked !== null && coveringDomains(host).includes(blocked);
}
