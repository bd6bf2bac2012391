/**
 * The document around every newsroom page: a phone-friendly head, the
 * navigation with the logout form, the page's heading and a notice line.
 */
import { html, raw } from "hono/html";
import type { Site } from "../../content/types.ts";
import { type Fragment, toHtmlString } from "../../pages/format.ts";
import type { StaffRole } from "../../storage/staff.ts";
import { postForm } from "./forms.ts";
import { formatCount } from "./labels.ts";
import { ARTICLE_PATHS, NEWSROOM_PATHS } from "./paths.ts";
import { NEWSROOM_CSS } from "./style.ts";

/** The navigation's entries. */
export type NewsroomSection =
  | "home"
  | "articles"
  | "queue"
  | "mentions"
  | "followers"
  | "deliveries"
  | "blocks"
  | "media"
  | "audit"
  | "staff";

/**
 * Who is looking: the navigation shows only the sections their roles reach,
 * and an editor the number of articles waiting for review.
 */
export interface Viewer {
  roles: readonly StaffRole[];
  /** Articles in `submitted`, counted for editors (and admins); absent for others. */
  submitted?: number;
}

/** What every page behind the login shares. Text values are plain text (escaped here). */
export interface StaffPageInput {
  site: Site;
  /** The session's CSRF token, carried by every form on the page. */
  csrfToken: string;
  /** A line confirming the last action (e.g. "Đã duyệt phản hồi."), shown above the content. */
  notice?: string;
  /** The signed-in member; without one (a page rendered alone) every section shows. */
  viewer?: Viewer;
}

/** What a page hands the layout. */
export interface NewsroomLayoutInput {
  site: Site;
  /** The page's `<h1>`, and the start of its `<title>`. */
  title: string;
  /** With a session: the navigation and logout form. Without (the login page): neither. */
  csrfToken?: string;
  current?: NewsroomSection;
  notice?: string;
  viewer?: Viewer;
  body: Fragment;
  /** Module scripts from our own origin (the article form's); the page works without them. */
  scripts?: readonly string[];
}

const WRITING: readonly StaffRole[] = ["writer", "editor"];
const MODERATING: readonly StaffRole[] = ["moderator"];

/**
 * The navigation's entries and the roles that reach each (an admin reaches
 * every one; an empty list means admins only).
 */
const SECTIONS: readonly {
  section: NewsroomSection;
  label: string;
  path: string;
  roles: readonly StaffRole[];
}[] = [
  {
    section: "home",
    label: "Tổng quan",
    path: NEWSROOM_PATHS.home,
    roles: [...WRITING, ...MODERATING],
  },
  { section: "articles", label: "Bài viết", path: ARTICLE_PATHS.list, roles: WRITING },
  { section: "queue", label: "Hàng chờ duyệt", path: NEWSROOM_PATHS.queue, roles: MODERATING },
  { section: "mentions", label: "Nhắc đến", path: NEWSROOM_PATHS.mentions, roles: MODERATING },
  {
    section: "followers",
    label: "Người theo dõi",
    path: NEWSROOM_PATHS.followers,
    roles: MODERATING,
  },
  {
    section: "deliveries",
    label: "Tình trạng gửi",
    path: NEWSROOM_PATHS.deliveries,
    roles: MODERATING,
  },
  { section: "blocks", label: "Danh sách chặn", path: NEWSROOM_PATHS.blocks, roles: MODERATING },
  { section: "media", label: "Ảnh", path: NEWSROOM_PATHS.media, roles: WRITING },
  { section: "audit", label: "Nhật ký", path: NEWSROOM_PATHS.audit, roles: [] },
  { section: "staff", label: "Nhân sự", path: NEWSROOM_PATHS.staff, roles: [] },
];

/** Whether `viewer` reaches a section open to `roles` (no viewer: a page rendered alone). */
function reaches(viewer: Viewer | undefined, roles: readonly StaffRole[]): boolean {
  if (viewer === undefined) return true;
  return viewer.roles.includes("admin") || roles.some((role) => viewer.roles.includes(role));
}

/** Renders a complete newsroom document (always Vietnamese: its text is). */
export function renderNewsroomLayout(input: NewsroomLayoutInput): string {
  const { site, csrfToken } = input;
  const page = html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${input.title} – Tòa soạn – ${site.title}</title>
<style>${raw(NEWSROOM_CSS)}</style>
${(input.scripts ?? []).map(
  (src) => html`<script type="module" src="${src}"></script>
`,
)}</head>
<body>
<header class="bar"><div class="wrap">
<p>Tòa soạn · ${site.title}</p>
${csrfToken === undefined ? "" : navigation(csrfToken, input.current, input.viewer)}</div></header>
<main class="wrap">
<h1>${input.title}</h1>
${input.notice ? html`<p class="notice" role="status">${input.notice}</p>\n` : ""}${input.body}
</main>
</body>
</html>
`;
  return toHtmlString(page);
}

function navigation(
  csrfToken: string,
  current: NewsroomSection | undefined,
  viewer: Viewer | undefined,
): Fragment {
  const waiting = viewer?.submitted ?? 0;
  return html`<nav aria-label="Tòa soạn"><ul>
${SECTIONS.filter(({ roles }) => reaches(viewer, roles)).map(
  ({ section, label, path }) =>
    html`<li><a href="${path}"${section === current ? html` aria-current="page"` : ""}>${
      section === "articles" && waiting > 0
        ? html`${label} (${formatCount(waiting)})<span class="sr-only"> bài chờ duyệt</span>`
        : label
    }</a></li>\n`,
)}<li>${postForm({ action: NEWSROOM_PATHS.logout, csrfToken, label: "Đăng xuất" })}</li>
</ul></nav>
`;
}
