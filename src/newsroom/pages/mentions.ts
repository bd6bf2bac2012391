/** `/admin/mentions`: what people addressed to the town, to read (nothing here is published). */
import { html } from "hono/html";
import { renderReply } from "../../pages/conversation.ts";
import type { Interaction } from "../../storage/interactions.ts";
import type { Urls } from "../../urls.ts";
import { pager } from "./forms.ts";
import { timeTag, VISIBILITY_LABELS } from "./labels.ts";
import { renderNewsroomLayout, type StaffPageInput } from "./layout.ts";
import { NEWSROOM_PATHS } from "./paths.ts";

/** What {@link renderMentions} needs. */
export interface MentionsPageInput extends StaffPageInput {
  urls: Urls;
  /** Mentions of the town, newest first. */
  mentions: readonly Interaction[];
  /** Titles of articles a mention belongs to, by slug. */
  articleTitles?: ReadonlyMap<string, string>;
  /** The cursor of the next page (the store's `Page.next`). */
  next?: string;
}

/** The mentions, each with who could see it where it was written. */
export function renderMentions(input: MentionsPageInput): string {
  const { site, urls, mentions } = input;
  return renderNewsroomLayout({
    site,
    title: "Nhắc đến",
    csrfToken: input.csrfToken,
    current: "mentions",
    notice: input.notice,
    viewer: input.viewer,
    body:
      mentions.length === 0
        ? html`<p>Chưa có ai nhắc đến tài khoản của thị xã.</p>`
        : html`<ol class="items">
${mentions.map(
  (
    mention,
  ) => html`<li><p class="muted">Hiển thị: ${VISIBILITY_LABELS[mention.visibility]} · nhận lúc ${timeTag(mention.receivedAt, site.timezone)}${
    mention.slug === null
      ? ""
      : html` · bài viết: <a href="${urls.article(mention.slug)}">${input.articleTitles?.get(mention.slug) ?? mention.slug}</a>`
  }</p>
${renderReply(mention, site)}</li>\n`,
)}</ol>
${pager(NEWSROOM_PATHS.mentions, input.next)}`,
  });
}
