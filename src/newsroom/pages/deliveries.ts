/** `/admin/deliveries`: how far each recent activity has reached, and which servers fail. */
import { html } from "hono/html";
import type { Fragment } from "../../pages/format.ts";
import { httpUrl } from "../../pages/remote.ts";
import type { ActivityProgress } from "../../storage/deliveries.ts";
import { formatCount, timeTag } from "./labels.ts";
import { renderNewsroomLayout, type StaffPageInput } from "./layout.ts";

/** What {@link renderDeliveries} needs. */
export interface DeliveriesPageInput extends StaffPageInput {
  /** The latest activities, newest first (the store's `listActivityProgress`). */
  activities: readonly ActivityProgress[];
  /** What each activity is, for people ("Bài mới: …"), by activity id; else its id is shown. */
  labels?: ReadonlyMap<string, string>;
}

/** The delivery status page: a progress bar and counts per activity. */
export function renderDeliveries(input: DeliveriesPageInput): string {
  const { site, activities } = input;
  return renderNewsroomLayout({
    site,
    title: "Tình trạng gửi",
    csrfToken: input.csrfToken,
    current: "deliveries",
    notice: input.notice,
    viewer: input.viewer,
    body:
      activities.length === 0
        ? html`<p>Chưa có hoạt động nào được gửi đi.</p>`
        : html`<ol class="items">
${activities.map((activity, i) => html`<li>${progressItem(input, activity, i)}</li>\n`)}</ol>`,
  });
}

function progressItem(
  input: DeliveriesPageInput,
  activity: ActivityProgress,
  index: number,
): Fragment {
  const { activityId, delivered, pending, failed, failingHosts } = activity;
  const total = delivered + pending + failed;
  const percent = total === 0 ? 0 : Math.floor((delivered / total) * 100);
  const label = input.labels?.get(activityId) ?? pathOf(activityId);
  const href = httpUrl(activityId);
  const barId = `tien-do-${index + 1}`;
  return html`<h2>${href ? html`<a href="${href}">${label}</a>` : label}</h2>
<p class="muted">Bắt đầu gửi: ${timeTag(activity.firstAt, input.site.timezone)}</p>
<label for="${barId}">Đã gửi tới ${formatCount(delivered)}/${formatCount(total)} máy chủ (${percent}%)</label>
<progress id="${barId}" max="${Math.max(total, 1)}" value="${delivered}">${percent}%</progress>
<ul>
<li>Đã gửi: ${formatCount(delivered)}</li>
<li>Đang chờ: ${formatCount(pending)}</li>
<li>Thất bại: ${formatCount(failed)}</li>
</ul>
${
  failingHosts.length > 0
    ? html`<p>Máy chủ đang lỗi:</p>
<ul>
${failingHosts.map((host) => html`<li>${host}</li>\n`)}</ul>
`
    : ""
}`;
}

/** An activity id without our origin, shorter to read: `/activities/slug/create/1`. */
function pathOf(activityId: string): string {
  try {
    const url = new URL(activityId);
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return activityId;
  }
}
