/** `/admin/audit`: the audit trail for admins, newest first, filtered by person, action and date. */
import { html } from "hono/html";
import type { AuditRecord } from "../../storage/audit.ts";

import { timeTag } from "./labels.ts";
import { renderNewsroomLayout, type StaffPageInput } from "./layout.ts";
import { NEWSROOM_PATHS } from "./paths.ts";

/** The filters as typed (echoed back into the form). */
export interface AuditFilters {
  actor: string;
  action: string;
  /** `YYYY-MM-DD`, or empty. */
  since: string;
  /** `YYYY-MM-DD`, or empty. */
  until: string;
}

/** What {@link renderAudit} needs. */
export interface AuditPageInput extends StaffPageInput {
  filters: AuditFilters;
  records: readonly AuditRecord[];
  /** The query string of the next page (filters and cursor), when there is one. */
  nextQuery?: string;
}

const OUTCOMES: Readonly<Record<AuditRecord["outcome"], string>> = {
  ok: "thành công",
  denied: "bị từ chối",
  failed: "thất bại",
};

/** The filter form, then the records as a list (a table would scroll sideways on a phone). */
export function renderAudit(input: AuditPageInput): string {
  const { site, csrfToken, filters, records } = input;
  return renderNewsroomLayout({
    site,
    title: "Nhật ký thao tác",
    csrfToken,
    current: "audit",
    notice: input.notice,
    viewer: input.viewer,
    body: html`<p class="muted">Mọi thao tác của nhân viên, mới nhất trước. Không ai sửa hay xoá được nhật ký này.</p>
<form class="add" method="get" action="${NEWSROOM_PATHS.audit}">
<label for="audit-actor">Người thực hiện (tên đăng nhập)</label>
<input id="audit-actor" name="actor" type="text" autocapitalize="none" spellcheck="false" value="${filters.actor}">
<label for="audit-action">Thao tác (ví dụ login, reply.approve, hoặc block. cho mọi thao tác chặn)</label>
<input id="audit-action" name="action" type="text" autocapitalize="none" spellcheck="false" value="${filters.action}">
<label for="audit-since">Từ ngày</label>
<input id="audit-since" name="since" type="date" value="${filters.since}">
<label for="audit-until">Đến hết ngày</label>
<input id="audit-until" name="until" type="date" value="${filters.until}">
<button type="submit">Lọc</button></form>
${
  records.length === 0
    ? html`<p>Không có bản ghi nào.</p>`
    : html`<ul class="items">
${records.map(
  (
    r,
  ) => html`<li><p><strong>${r.action}</strong>${r.subject ? html` · ${r.subject}` : ""} · ${OUTCOMES[r.outcome]}</p>
<p class="muted">${timeTag(r.at, site.timezone)} · ${r.actor ?? "người lạ"} · từ ${r.address ?? "dòng lệnh"}${r.detail ? html` · ${JSON.stringify(r.detail)}` : ""}</p></li>\n`,
)}</ul>`
}
${input.nextQuery ? html`<nav class="pager" aria-label="Trang"><a href="${NEWSROOM_PATHS.audit}?${input.nextQuery}" rel="next">Trang sau →</a></nav>` : ""}`,
  });
}
