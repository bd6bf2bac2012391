/**
 * Follower pages are ordered by (created_at, actor_id); a cursor carries the last
 * pair seen, so paging stays stable while followers come and go. Interaction
 * pages use the same shape for their (published, id) order.
 */
export interface FollowerCursor {
  createdAt: number;
  actorId: string;
}

export function encodeCursor(cursor: FollowerCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.actorId]), "utf8").toString(
    "base64url",
  );
}

/**
 * Returns null for no cursor (the first page) and false for a malformed one
 * (a client may send anything; it gets an empty last page, not page one again).
 */
export function decodeCursor(raw: string | null | undefined): FollowerCursor | null | false {
  if (raw == null || raw === "") return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isFinite(value[0]) &&
      typeof value[1] === "string"
    ) {
      return { createdAt: value[0] as number, actorId: value[1] };
    }
  } catch {
    // fall through: malformed
  }
  return false;
}

/** One page of a listing, and the cursor of the next. */
export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, or null at the end. */
  next: string | null;
}

/**
 * A page of `items`, read with one row more than the page holds (`more`: that row came,
 * so there is a next page); the next cursor is the last item's `key`.
 */
export function pageOf<T>(items: T[], more: boolean, key: (last: T) => FollowerCursor): Page<T> {
  const last = items.at(-1);
  return { items, next: more && last !== undefined ? encodeCursor(key(last)) : null };
}
