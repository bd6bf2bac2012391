/**
 * The newsroom's paths and form fields, in one table shared by its pages
 * and its routes. Root-relative: staff use the interface on the site's own
 * origin, and `form-action 'self'` allows exactly that.
 */
export const NEWSROOM_PATHS = {
  /** The newsroom's first page: what waits for this member, by role. */
  home: "/admin/",
  /** GET: the moderation queue (`cursor`). Before the dashboard it was `/admin/`, which still forwards a `cursor`. */
  queue: "/admin/replies",
  mentions: "/admin/mentions",
  followers: "/admin/followers",
  deliveries: "/admin/deliveries",
  blocks: "/admin/blocks",
  /** GET: the picture library; POST (multipart): `csrf`, `file`, `alt` uploads a picture. */
  media: "/admin/media",
  /** POST: `csrf`, `id`, `alt`. */
  mediaAlt: "/admin/media/alt",
  /** POST: `csrf`, `id`: deletes the picture (refused while an article uses it). */
  mediaDelete: "/admin/media/delete",
  /** GET, admins only: `actor`, `action`, `since`, `until` (dates), `cursor`. */
  audit: "/admin/audit",
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
  /** GET, admins only: the staff accounts with their forms. */
  staff: "/admin/staff",
  /** POST: `csrf`, `username`, `roles` (repeated), `email` (optional); answers the one-time link. */
  staffAdd: "/admin/staff/add",
  /** POST: `csrf`, `username`, `roles` (repeated). */
  staffRoles: "/admin/staff/roles",
  /** POST: `csrf`, `username`, `email` (empty clears it). */
  staffEmail: "/admin/staff/email",
  /** POST: `csrf`, `username`. */
  staffRemove: "/admin/staff/remove",
  /** POST: `csrf`, `username`; answers the one-time link. */
  staffReset: "/admin/staff/reset",
} as const;

/**
 * Where a one-time link sets a staff password (GET: the form; POST:
 * `password`, `confirm`), reachable without a session: the token is the
 * credential.
 */
export const PASSWORD_LINK_PREFIX = "/admin/password/";

/** The path of the one-time link carrying `token`. */
export function passwordLinkPath(token: string): string {
  return `${PASSWORD_LINK_PREFIX}${encodeURIComponent(token)}`;
}

/** Where the article form's scripts are served (our own origin: the CSP allows no other). */
export const NEWSROOM_ASSETS = "/admin/assets/";

/** The articles' pages; `id` is an article's id in the store (URL-safe, encoded anyway). */
export const ARTICLE_PATHS = {
  /** GET: the list (`state`, `q`, `cursor`). */
  list: "/admin/articles",
  /** GET: an empty form; POST: the form's fields (the first save creates the article). */
  create: "/admin/articles/new",
  /** POST: the form's fields; answers the article part of the public page, for the live preview. */
  livePreview: "/admin/articles/live-preview",
  /** GET: the form; POST: the form's fields and `action`. */
  edit: (id: string) => `/admin/articles/${encodeURIComponent(id)}`,
  /** GET: the latest revision as readers and the fediverse will see it. */
  preview: (id: string) => `/admin/articles/${encodeURIComponent(id)}/preview`,
  /** GET: the public page alone, framed by the preview page. */
  previewPage: (id: string) => `/admin/articles/${encodeURIComponent(id)}/preview/page`,
  /** GET: the revisions (`from`, `to` choose a diff); POST `restore`: `csrf`, `revision`. */
  revisions: (id: string) => `/admin/articles/${encodeURIComponent(id)}/revisions`,
  restore: (id: string) => `/admin/articles/${encodeURIComponent(id)}/restore`,
} as const;

/** The form field every state-changing form carries the session's CSRF token in. */
export const CSRF_FIELD = "csrf";

/** The query parameter that carries a list's cursor (the store's `Page.next`). */
export const CURSOR_PARAM = "cursor";

/** The link to the page after this one of a paged list. */
export function nextPageHref(path: string, cursor: string): string {
  return `${path}?${new URLSearchParams({ [CURSOR_PARAM]: cursor })}`;
}
