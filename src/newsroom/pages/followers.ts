/** `/admin/followers`: who follows the town, and from which servers. */
import { html } from "hono/html";
import { httpUrl } from "../../pages/remote.ts";
import { pager } from "./forms.ts";
import { formatCount, timeTag } from "./labels.ts";
import { renderNewsroomLayout, type StaffPageInput } from "./layout.ts";
import { NEWSROOM_PATHS } from "./paths.ts";

/** One server and how many of its accounts follow the town. */
export interface FollowerServer {
  host: string;
  count: number;
}

/** One follower as listed. */
export interface FollowerEntry {
  actorId: string;
  createdAt: Date;
}

/** What {@link renderFollowers} needs. */
export interface FollowersPageInput extends StaffPageInput {
  /** Followers in all. */
  count: number;
  /** Servers by number of followers, most first. */
  servers: readonly FollowerServer[];
  /** This page of followers, newest first. */
  followers: readonly FollowerEntry[];
  /** The cursor of the next page (the store's `Page.next`). */
  next?: string;
}

/** The followers: a total, a table by server, and the list. */
export function renderFollowers(input: FollowersPageInput): string {
  const { site, servers, followers } = input;
  return renderNewsroomLayout({
    site,
    title: "Người theo dõi",
    csrfToken: input.csrfToken,
    current: "followers",
    notice: input.notice,
    viewer: input.viewer,
    body:
      input.count === 0
        ? html`<p>Chưa có ai theo dõi tài khoản của thị xã.</p>`
        : html`<p>${formatCount(input.count)} người theo dõi trên ${formatCount(servers.length)} máy chủ.</p>
${
  servers.length > 0
    ? html`<h2>Theo máy chủ</h2>
<table>
<thead><tr><th scope="col">Máy chủ</th><th scope="col">Người theo dõi</th></tr></thead>
<tbody>
${servers.map((s) => html`<tr><td>${s.host}</td><td>${formatCount(s.count)}</td></tr>\n`)}</tbody>
</table>
`
    : ""
}<h2>Danh sách</h2>
<ul class="rows">
${followers.map((f) => {
  const href = httpUrl(f.actorId);
  return html`<li>${href ? html`<a href="${href}" rel="nofollow ugc">${f.actorId}</a>` : f.actorId}<p class="muted">Theo dõi từ ${timeTag(f.createdAt, site.timezone)}</p></li>\n`;
})}</ul>
${pager(NEWSROOM_PATHS.followers, input.next)}`,
  });
}
