/**
 * What both backends decide the same way about interactions: whether a put
 * creates, replaces, changes nothing or is refused, and how a list query
 * becomes a bounded, cursor-paged read.
 */

import type { Page } from "./cursor.ts";
import { decodeCursor, encodeCursor, type FollowerCursor } from "./cursor.ts";
import {
  type BlockKind,
  blockHost,
  type Interaction,
  type InteractionKind,
  type InteractionQuery,
  type InteractionStore,
  type PutResult,
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
  updated: Date | null;
  visibility: string;
}

/** What {@link InteractionStore.putInteraction} must do, given what is stored under the id. */
export function decidePut(stored: StoredForPut | null, incoming: Interaction): PutResult {
  if (stored === null) return "created";
  // The id is the author's: anyone else sending it is forging or confused.
  if (stored.actorId !== incoming.author.actorId) return "refused";
  const same =
    stored.html === incoming.html &&
    stored.visibility === incoming.visibility &&
    (stored.updated?.getTime() ?? null) === (incoming.updated?.getTime() ?? null);
  return same ? "unchanged" : "updated";
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

/** A block's value as stored: host names lower-case, actor ids exactly (they are ids). */
export function blockValue(kind: BlockKind, value: string): string {
  return kind === "domain" ? normalizeHost(value) : value;
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
  const items = rows.slice(0, plan.limit);
  const last = items.at(-1);
  const next =
    rows.length > plan.limit && last
      ? encodeCursor({ createdAt: last.published.getTime(), actorId: last.id })
      : null;
  return { items, next };
}

function fromCursor(cursor: FollowerCursor): { published: Date; id: string } {
  return { published: new Date(cursor.createdAt), id: cursor.actorId };
}
