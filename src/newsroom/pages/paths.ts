/**
 * The newsroom's paths and form fields, in one table shared by its pages
 * and its routes. Root-relative: staff use the interface on the site's own
 * origin, and `form-action 'self'` allows exactly that.
 */
export const NEWSROOM_PATHS = {
  /** The moderation queue is the newsroom's home. */
  queue: "/admin/",
  mentions: "/admin/mentions",
  followers: "/admin/followers",
  deliveries: "/admin/deliveries",
  blocks: "/admin/blocks",
  /** GET, admins only: `actor`, `action`, `since`, `until` (dates), `cursor`. */
  audit: "/admin/audit",
  /** GET: the picture library; POST (multipart): `csrf`, `file`, `alt` uploads a picture. */
  media: "/admin/media",
  /** POST: `csrf`, `id`, `alt`. */
  mediaAlt: "/admin/media/alt",
  /** GET: the form; POST: `username`, `password`. */
  login: "/admin/login",
  /** POST: `csrf`. */
  logout: "/admin/logout",
  /** POST: `csrf`, `id`. */
  approve: "/admin/replies/approve",
  /** POST: `csrf`, `id`. */
  reject: "/admin/replies/reject",
  /** POST: `csrf`, `actor`, and `id` when sent from the queue. */
  blockActor: "/admin/blocks/actor",
  /** POST: `csrf`, `domain`, and `id` when sent from the queue. */
  blockDomain: "/admin/blocks/domain",
  /** POST: `csrf`, `kind` (`actor` or `domain`), `value`. */
  unblock: "/admin/blocks/remove",
} as const;

/** The form field every state-changing form carries the session's CSRF token in. */
export const CSRF_FIELD = "csrf";

/** The query parameter that carries a list's cursor (the store's `Page.next`). */
export const CURSOR_PARAM = "cursor";

/** The link to the page after this one of a paged list. */
export function nextPageHref(path: string, cursor: string): string {
  return `${path}?${new URLSearchParams({ [CURSOR_PARAM]: cursor })}`;
}
