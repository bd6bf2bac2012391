/** `/admin/articles`: every article with its state, filtered by state, searched by title, paged. */
import { html } from "hono/html";
import type { Fragment } from "../../pages/format.ts";
import { ARTICLE_STATES, type ArticleState, STATE_LABELS } from "./article-labels.ts";
import { timeTag } from "./labels.ts";
import { renderNewsroomLayout, type StaffPageInput } from "./layout.ts";
import { ARTICLE_PATHS, CURSOR_PARAM } from "./paths.ts";

/** One line of the list: a newsroom article (linked to its form) or a file's (read-only). */
export interface ArticleListRow {
  /** The newsroom article's id; absent for a file's article. */
  id?: string;
  title: string;
  state: ArticleState | "file";
  /** The file under `content/` a file's article is edited in. */
  file?: string;
  /** Where readers find it, once it is online. */
  publicUrl?: string;
  /** The last change (or, for a file, its publication date). */
  changed: Date;
  by?: string;
}

export interface ArticleListInput extends StaffPageInput {
  rows: readonly ArticleListRow[];
  /** The filter shown: a state, or all. */
  state?: ArticleState;
  query: string;
  next?: string;
  timeZone: string;
  /** Whether this member may start an article (every writer and editor may). */
  canWrite: boolean;
}

/** Renders the list page. */
export function renderArticleList(input: ArticleListInput): string {
  const filters = html`<form method="get" action="${ARTICLE_PATHS.list}" class="filters" role="search">
<div><label for="state">Trạng thái</label>
<select id="state" name="state">
<option value="">Tất cả</option>
${ARTICLE_STATES.map((s) => html`<option value="${s}"${s === input.state ? " selected" : ""}>${STATE_LABELS[s]}</option>`)}
</select></div>
<div><label for="q">Tìm theo tiêu đề</label>
<input id="q" name="q" type="search" value="${input.query}" maxlength="200"></div>
<div><button type="submit">Lọc</button></div>
</form>
`;
  const body = html`${input.canWrite ? html`<p><a href="${ARTICLE_PATHS.create}"><strong>+ Viết bài mới</strong></a></p>\n` : ""}${filters}${
    input.rows.length === 0
      ? html`<p>Không có bài nào${input.state || input.query ? " khớp với bộ lọc" : ""}.</p>\n`
      : html`<ul class="rows">
${input.rows.map((row) => rowOf(row, input.timeZone))}</ul>
`
  }${pagerOf(input)}`;
  return renderNewsroomLayout({
    site: input.site,
    title: "Bài viết",
    csrfToken: input.csrfToken,
    current: "articles",
    notice: input.notice,
    viewer: input.viewer,
    body,
  });
}

function rowOf(row: ArticleListRow, zone: string): Fragment {
  const title =
    row.id !== undefined
      ? html`<a href="${ARTICLE_PATHS.edit(row.id)}">${row.title || "(chưa có tiêu đề)"}</a>`
      : row.publicUrl
        ? html`<a href="${row.publicUrl}">${row.title}</a>`
        : html`${row.title}`;
  return html`<li><strong>${title}</strong>
<p class="muted"><span class="state">${STATE_LABELS[row.state]}</span> · ${timeTag(row.changed, zone)}${row.by ? html` · ${row.by}` : ""}${row.file ? html` · tệp <code>${row.file}</code>` : ""}</p></li>
`;
}

function pagerOf(input: ArticleListInput): Fragment | string {
  if (!input.next) return "";
  const params = new URLSearchParams();
  if (input.state) params.set("state", input.state);
  if (input.query) params.set("q", input.query);
  params.set(CURSOR_PARAM, input.next);
  return html`<nav class="pager" aria-label="Trang"><a href="${ARTICLE_PATHS.list}?${params.toString()}" rel="next">Trang sau →</a></nav>\n`;
}
