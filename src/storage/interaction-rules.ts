/**
 * What both backends decide the same way about interactions: whether a put
 * creates, replaces, changes nothing or is refused, and how a list query
 * becomes a bounded, cursor-paged read.
 */

import type { Page } from "./cursor.ts";
import { decodeCursor, type FollowerCursor, pageOf } from "./cursor.ts";
import {
  type ActorLimits,
  type BlockKind,
  blockDomain,
  blockHost,
  domainCovers,
  type Interaction,
  type InteractionKind,
  type InteractionQuery,
  type InteractionStore,
  type ModerationState,
} from "./interactions.ts";

/** The blocks half of {@link InteractionStore}, implemented apart in each backend. */
export type BlockPart = Pick<
  InteractionStore,
  "addBlock" | "removeBlock" | "listBlocks" | "isBlocked" | "removeFollowersFromHost"
>;

/** The interactions half of {@link InteractionStore}. */
export type InteractionPart = Omit<InteractionStore, keyof BlockPart>;

/** The stored fields a put is judged by. */
export interface StoredForPut {
  actorId: string;
  html: string | null;
  inReplyTo: string | null;
  updated: Date | null;
  visibility: string;
  state: ModerationState;
}

/** What the actor already has stored, for the bounds of a put given limits. */
export interface ActorUsage {
  /** Its replies and mentions waiting for the staff. */
  pending: number;
  /** Bytes of html of all its interactions. */
  bytes: number;
}

/** What a put does: the result, and for an update, the state the row takes. */
export type PutDecision =
  | { result: "created" | "unchanged" | "refused" | "limited" }
  | { result: "updated"; state: ModerationState };

/** Bytes of content an interaction keeps. */
export function htmlBytes(html: string | null): number {
  return html === null ? 0 : Buffer.byteLength(html, "utf8");
}

/**
 * What {@link InteractionStore.putInteraction} must do, given what is stored
 * under the id and, when `limits` are given, what the actor already keeps
 * (`usage`, read in the same transaction).
 */
export function decidePut(
  stored: StoredForPut | null,
  incoming: Interaction,
  limits?: { limits: ActorLimits; usage: ActorUsage },
): PutDecision {
  if (stored !== null && stored.actorId !== incoming.author.actorId) {
    // The id is the author's: anyone else sending it is forging or confused.
    return { result: "refused" };
  }
  const changed =
    stored === null ||
    stored.html !== incoming.html ||
    stored.inReplyTo !== incoming.inReplyTo ||
    stored.visibility !== incoming.visibility;
  if (stored !== null && !changed && sameTime(stored.updated, incoming.updated)) {
    return { result: "unchanged" };
  }
  if (limits !== undefined && overLimits(stored, incoming, limits.limits, limits.usage)) {
    return { result: "limited" };
  }
  if (stored === null) return { result: "created" };
  // What readers see changed: an approved one is judged again as a new one
  // would be; a pending one stays pending, a rejected one rejected.
  const state = changed && stored.state === "approved" ? incoming.state : stored.state;
  return { result: "updated", state };
}

function sameTime(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

function overLimits(
  stored: StoredForPut | null,
  incoming: Interaction,
  limits: ActorLimits,
  usage: ActorUsage,
): boolean {
  const bytes = usage.bytes - htmlBytes(stored?.html ?? null) + htmlBytes(incoming.html);
  if (bytes > limits.maxBytes && bytes > usage.bytes) return true;
  const waits = incoming.kind === "reply" || incoming.kind === "mention";
  const newlyPending = waits && incoming.state === "pending" && stored?.state !== "pending";
  return newlyPending && usage.pending >= limits.maxPending;
}

/**
 * The host column written beside an actor id, so host-wide removals and
 * domain blocks read an index. Empty for an id that is not a URL (it then
 * matches no host).
 */
export function hostOf(actorId: string): string {
  return blockHost(actorId) ?? "";
}

/** A host as given to a host-wide removal or lookup, in the form {@link hostOf} writes. */
export function normalizeHost(host: string): string {
  return host.trim().toLowerCase();
}

/**
 * A block's value as stored: a domain as {@link blockDomain} names it (a
 * block covers every port, so a port given is dropped), actor ids exactly
 * (they are ids).
 */
export function blockValue(kind: BlockKind, value: string): string {
  return kind === "domain" ? (blockDomain(value) ?? normalizeHost(value)) : value;
}

/** Of the stored `hosts` (host columns, port included), those `domain` covers. */
export function hostsCovered(domain: string, hosts: readonly string[]): string[] {
  return hosts.filter((host) => host !== "" && domainCovers(domain, host));
}

/** A list query made ready for SQL. */
export interface ListPlan {
  /** Kinds to match, or null for any. Never empty. */
  kinds: readonly InteractionKind[] | null;
  limit: number;
  order: "asc" | "desc";
  /** Rows strictly after this (published, id) in `order`, or null from the start. */
  after: { published: Date; id: string } | null;
}

/**
 * Plans `query`; null means the answer is an empty last page (a malformed
 * cursor, or an empty list of kinds).
 */
export function planList(query: InteractionQuery): ListPlan | null {
  const cursor = decodeCursor(query.cursor);
  if (cursor === false) return null;
  let kinds: readonly InteractionKind[] | null = null;
  if (typeof query.kind === "string") kinds = [query.kind];
  else if (query.kind !== undefined) kinds = [...new Set(query.kind)];
  if (kinds !== null && kinds.length === 0) return null;
  return {
    kinds,
    limit: Math.max(1, Math.floor(query.limit)),
    order: query.order ?? "asc",
    after: cursor === null ? null : fromCursor(cursor),
  };
}

/**
 * A page from rows read with `LIMIT plan.limit + 1` (the extra row tells
 * whether there is a next page). The cursor carries (published, id), the
 * order the lists are read in.
 */
export function toPage(rows: readonly Interaction[], plan: ListPlan): Page<Interaction> {
  return pageOf(rows.slice(0, plan.limit), rows.length > plan.limit, (last) => ({
    createdAt: last.published.getTime(),
    actorId: last.id,
  }));
}

function fromCursor(cursor: FollowerCursor): { published: Date; id: string } {
  return { published: new Date(cursor.createdAt), id: cursor.actorId };
}
