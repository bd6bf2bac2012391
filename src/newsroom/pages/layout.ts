/**
 * The document around every newsroom page: a phone-friendly head, the
 * navigation with the logout form, the page's heading and a notice line.
 */
import { html, raw } from "hono/html";
import type { Site } from "../../content/types.ts";
import { type Fragment, toHtmlString } from "../../pages/format.ts";
import { postForm } from "./forms.ts";
import { ARTICLE_PATHS, NEWSROOM_PATHS } from "./paths.ts";
import { NEWSROOM_CSS } from "./style.ts";

/** The navigation's entries. */
export type NewsroomSection =
  | "articles"
  | "queue"
  | "mentions"
  | "followers"
  | "deliveries"
  | "blocks"
  | "media"
  | "staff";

/** What every page behind the login shares. Text values are plain text (escaped here). */
export interface StaffPageInput {
  site: Site;
  /** The session's CSRF token, carried by every form on the page. */
  csrfToken: string;
  /** A line confirming the last action (e.g. "Đã duyệt phản hồi."), shown above the content. */
  notice?: string;
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
  body: Fragment;
  /** Module scripts from our own origin (the article form's); the page works without them. */
  scripts?: readonly string[];
}

const SECTIONS: readonly { section: NewsroomSection; label: string; path: string }[] = [
  { section: "articles", label: "Bài viết", path: ARTICLE_PATHS.list },
  { section: "queue", label: "Hàng chờ duyệt", path: NEWSROOM_PATHS.queue },
  { section: "mentions", label: "Nhắc đến", path: NEWSROOM_PATHS.mentions },
  { section: "followers", label: "Người theo dõi", path: NEWSROOM_PATHS.followers },
  { section: "deliveries", label: "Tình trạng gửi", path: NEWSROOM_PATHS.deliveries },
  { section: "blocks", label: "Danh sách chặn", path: NEWSROOM_PATHS.blocks },
  { section: "media", label: "Ảnh", path: NEWSROOM_PATHS.media },
  { section: "staff", label: "Nhân sự", path: NEWSROOM_PATHS.staff },
];

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
${csrfToken === undefined ? "" : navigation(csrfToken, input.current)}</div></header>
<main class="wrap">
<h1>${input.title}</h1>
${input.notice ? html`<p class="notice" role="status">${input.notice}</p>\n` : ""}${input.body}
</main>
</body>
</html>
`;
  return toHtmlString(page);
}

function navigation(csrfToken: string, current: NewsroomSection | undefined): Fragment {
  return html`<nav aria-label="Tòa soạn"><ul>
${SECTIONS.map(
  ({ section, label, path }) =>
    html`<li><a href="${path}"${section === current ? html` aria-current="page"` : ""}>${label}</a></li>\n`,
)}<li>${postForm({ action: NEWSROOM_PATHS.logout, csrfToken, label: "Đăng xuất" })}</li>
</ul></nav>
`;
}
