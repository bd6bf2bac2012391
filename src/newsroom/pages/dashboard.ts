/**
 * `/admin/`: the newsroom's first page, what waits for this member. An
 * editor sees the articles submitted for review; a moderator the held
 * replies (the newest few with their four decisions, as the contract's
 * "login, then the moderation queue" promises) and the failing deliveries; a writer their own drafts, what came
 * back with an editor's comment, and what they submitted. Each count links
 * to the page where the work is done.
 */
import { html } from "hono/html";
import type { Fragment } from "../../pages/format.ts";
import type { Interaction } from "../../storage/interactions.ts";
import type { Urls } from "../../urls.ts";
import type { ArticleState } from "./article-labels.ts";
import { formatCount, timeTag } from "./labels.ts";
import { renderNewsroomLayout, type StaffPageInput } from "./layout.ts";
import { ARTICLE_PATHS, NEWSROOM_PATHS } from "./paths.ts";
import { queueItem } from "./queue.ts";

/** One article on the first page. */
export interface DashboardArticle {
  id: string;
  title: string;
  /** Its last change. */
  changed: Date;
  /** Who owns it, where that is not the reader. */
  by?: string;
  /** The start of the editor's comment, for an article returned to its writer. */
  comment?: string;
}

/** A count and the newest few it counts. */
export interface DashboardList {
  total: number;
  items: readonly DashboardArticle[];
}

export interface DashboardInput extends StaffPageInput {
  timeZone: string;
  /** For an editor: articles submitted for review. */
  review?: DashboardList;
  /** For a moderator: replies held for a decision, deliveries failing. */
  moderation?: ModerationSummary;
  /** For a writer (and an editor who writes): their own articles by state. */
  own?: { drafts: DashboardList; returned: DashboardList; submitted: DashboardList };
}

/** What a moderator's first page shows: counts, and the newest held replies to decide on. */
export interface ModerationSummary {
  heldReplies: number;
  failingDeliveries: number;
  /** The newest held replies, shown with their actions. */
  held: readonly Interaction[];
  urls: Urls;
  articleTitles: ReadonlyMap<string, string>;
}

/** How much of an editor's comment the first page shows. */
export const COMMENT_START_CHARS = 120;

/** The first page. */
export function renderDashboard(input: DashboardInput): string {
  const parts: Fragment[] = [];
  if (input.review) {
    parts.push(
      section(
        "Bài chờ duyệt",
        input.review,
        "submitted",
        "bài đang chờ bạn duyệt",
        "Không có bài nào chờ duyệt.",
        input.timeZone,
      ),
    );
  }
  if (input.moderation) parts.push(moderation(input, input.moderation));
  if (input.own) {
    const { drafts, returned, submitted } = input.own;
    parts.push(
      section(
        "Bị trả lại",
        returned,
        "returned",
        "bài biên tập viên trả lại cho bạn",
        "Không có bài nào bị trả lại.",
        input.timeZone,
      ),
      section(
        "Bản nháp của bạn",
        drafts,
        "draft",
        "bản nháp",
        "Bạn chưa có bản nháp nào.",
        input.timeZone,
      ),
      section(
        "Bạn đã gửi duyệt",
        submitted,
        "submitted",
        "bài đang chờ biên tập viên",
        "Không có bài nào của bạn đang chờ duyệt.",
        input.timeZone,
      ),
    );
  }
  return renderNewsroomLayout({
    site: input.site,
    title: "Tổng quan",
    csrfToken: input.csrfToken,
    current: "home",
    notice: input.notice,
    viewer: input.viewer,
    body: html`${parts.length === 0 ? html`<p>Tài khoản của bạn chưa có vai trò nào trong tòa soạn. Xin nhờ quản trị viên cấp quyền.</p>\n` : parts}`,
  });
}

function section(
  title: string,
  list: DashboardList,
  state: ArticleState,
  counted: string,
  none: string,
  zone: string,
): Fragment {
  const all = `${ARTICLE_PATHS.list}?${new URLSearchParams({ state })}`;
  return html`<section class="waiting">
<h2>${title}</h2>
${
  list.total === 0
    ? html`<p>${none}</p>`
    : html`<p><a href="${all}"><strong>${formatCount(list.total)}</strong> ${counted}</a></p>
<ul class="rows">
${list.items.map((item) => articleRow(item, zone))}</ul>`
}
</section>
`;
}

function articleRow(item: DashboardArticle, zone: string): Fragment {
  return html`<li><strong><a href="${ARTICLE_PATHS.edit(item.id)}">${item.title || "(chưa có tiêu đề)"}</a></strong>
<p class="muted">${timeTag(item.changed, zone)}${item.by ? html` · ${item.by}` : ""}</p>${
    item.comment ? html`\n<p class="comment">Góp ý: ${item.comment}</p>` : ""
  }</li>
`;
}

function moderation(input: DashboardInput, counts: ModerationSummary): Fragment {
  const item = { ...counts, site: input.site, csrfToken: input.csrfToken };
  return html`<section class="waiting">
<h2>Kiểm duyệt</h2>
<ul>
<li><a href="${NEWSROOM_PATHS.queue}"><strong>${formatCount(counts.heldReplies)}</strong> phản hồi chờ duyệt</a></li>
<li><a href="${NEWSROOM_PATHS.deliveries}"><strong>${formatCount(counts.failingDeliveries)}</strong> lượt gửi đang lỗi (7 ngày qua)</a></li>
</ul>
${
  counts.held.length === 0
    ? ""
    : html`<ol class="items">
${counts.held.map((reply) => html`<li>${queueItem(item, reply)}</li>\n`)}</ol>
`
}</section>
`;
}
