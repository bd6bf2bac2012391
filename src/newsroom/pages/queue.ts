/**
 * `/admin/`: replies waiting for a decision, each shown exactly as the
 * article page would show it, with what it answers and the four actions.
 */
import { html } from "hono/html";
import { renderReply } from "../../pages/conversation.ts";
import type { Fragment } from "../../pages/format.ts";
import { httpUrl } from "../../pages/remote.ts";
import type { Interaction } from "../../storage/interactions.ts";
import { blockHost } from "../../storage/interactions.ts";
import type { Urls } from "../../urls.ts";
import { pager, postForm } from "./forms.ts";
import { formatCount, timeTag, VISIBILITY_LABELS } from "./labels.ts";
import { renderNewsroomLayout, type StaffPageInput } from "./layout.ts";
import { NEWSROOM_PATHS } from "./paths.ts";

/** What {@link renderQueue} needs. */
export interface QueuePageInput extends StaffPageInput {
  urls: Urls;
  /** Pending replies, in the order to show them. */
  pending: readonly Interaction[];
  /** Titles of the articles they belong to, by slug. */
  articleTitles: ReadonlyMap<string, string>;
  /** How many wait in all, when more than this page shows. */
  total?: number;
  /** The cursor of the next page (the store's `Page.next`). */
  next?: string;
}

/** The moderation queue. */
export function renderQueue(input: QueuePageInput): string {
  const { site, pending } = input;
  const count = input.total ?? pending.length;
  return renderNewsroomLayout({
    site,
    title: "Hàng chờ duyệt",
    csrfToken: input.csrfToken,
    current: "queue",
    notice: input.notice,
    viewer: input.viewer,
    body:
      pending.length === 0
        ? html`<p>Không có phản hồi nào chờ duyệt.</p>`
        : html`<p class="muted">${formatCount(count)} phản hồi chờ duyệt. Phản hồi được duyệt sẽ hiện dưới bài viết đúng như dưới đây.</p>
<ol class="items">
${pending.map((reply) => html`<li>${queueItem(input, reply)}</li>\n`)}</ol>
${pager(NEWSROOM_PATHS.queue, input.next)}`,
  });
}

/** What one held reply needs to be shown with its actions (the queue's and the first page's). */
export type QueueItemInput = Pick<QueuePageInput, "site" | "urls" | "csrfToken" | "articleTitles">;

/** One held reply as the article page would show it, with the four decisions. */
export function queueItem(input: QueueItemInput, reply: Interaction): Fragment {
  const { site, urls, csrfToken } = input;
  const id = reply.id;
  const host = blockHost(reply.author.actorId);
  const articleUrl = reply.slug === null ? undefined : urls.article(reply.slug);
  const title = reply.slug === null ? undefined : input.articleTitles.get(reply.slug);
  // A reply to another reply names it: staff judge it in its context.
  const parent = reply.inReplyTo !== articleUrl ? httpUrl(reply.inReplyTo) : undefined;
  return html`<p class="muted">${
    articleUrl
      ? html`Bài viết: <a href="${articleUrl}">${title ?? reply.slug}</a>`
      : "Không thuộc bài viết nào"
  } · ${VISIBILITY_LABELS[reply.visibility]} · nhận lúc ${timeTag(reply.receivedAt, site.timezone)}${
    parent ? html` · trả lời <a href="${parent}" rel="nofollow ugc">một phản hồi khác</a>` : ""
  }</p>
${renderReply(reply, site)}
<div class="actions">
${postForm({ action: NEWSROOM_PATHS.approve, csrfToken, fields: { id }, label: "Duyệt", tone: "primary" })}
${postForm({ action: NEWSROOM_PATHS.reject, csrfToken, fields: { id }, label: "Từ chối" })}
${postForm({ action: NEWSROOM_PATHS.blockActor, csrfToken, fields: { id, actor: reply.author.actorId }, label: "Chặn tác giả", tone: "danger" })}
${
  host
    ? postForm({
        action: NEWSROOM_PATHS.blockDomain,
        csrfToken,
        fields: { id, domain: host },
        label: `Chặn máy chủ ${host}`,
        tone: "danger",
      })
    : ""
}
</div>`;
}
