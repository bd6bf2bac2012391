/**
 * `/admin/articles/{id}/preview`: the latest revision as readers will see it
 * (the public page itself, rendered by its real template and framed from our
 * own origin) and as followers will see the post (the Note's content and its
 * picture in a card like Mastodon's).
 */
import { html, raw } from "hono/html";
import type { Fragment } from "../../pages/format.ts";
import { sanitizeReplyHtml } from "../../text/sanitize.ts";
import { timeTag } from "./labels.ts";
import { renderNewsroomLayout, type StaffPageInput } from "./layout.ts";
import { ARTICLE_PATHS } from "./paths.ts";

/** The Note as sent: its content and attachments (from the real mapper). */
export interface NotePreview {
  /** The Note's `content` (HTML). */
  content: string;
  attachments: readonly {
    url: string;
    alt: string;
    mediaType?: string;
    width?: number;
    height?: number;
  }[];
  published: Date;
  /** The town's account: its name and `@user@host`. */
  actorName: string;
  handle: string;
  icon?: string;
}

export interface ArticlePreviewInput extends StaffPageInput {
  id: string;
  title: string;
  note: NotePreview;
  timeZone: string;
  /** Set when the revision shown is not yet what readers see (a draft of a published article). */
  draftOfPublished?: boolean;
}

/** Renders the preview page. */
export function renderArticlePreview(input: ArticlePreviewInput): string {
  const page = ARTICLE_PATHS.previewPage(input.id);
  const body = html`<p><a href="${ARTICLE_PATHS.edit(input.id)}">← Về bài viết</a></p>
${input.draftOfPublished ? html`<p class="notice">Đây là bản sửa chưa đăng: bạn đọc vẫn thấy bản đã đăng cho đến khi biên tập viên duyệt bản này.</p>\n` : ""}<section aria-labelledby="as-page">
<h2 id="as-page">Trên trang của Ủy ban</h2>
<iframe class="page" src="${page}" title="Trang bài viết như bạn đọc thấy"></iframe>
<p><a href="${page}">Mở trang xem trước riêng</a></p>
</section>
<section aria-labelledby="as-post">
<h2 id="as-post">Trên mạng xã hội (Mastodon và các mạng liên thông)</h2>
${noteCard(input.note, input.timeZone)}
<p class="hint">Mastodon bỏ tiêu đề mục và ảnh trong nội dung; ảnh của bài đi kèm bài đăng, với mô tả ảnh.</p>
</section>`;
  return renderNewsroomLayout({
    site: input.site,
    title: `Xem trước: ${input.title}`,
    csrfToken: input.csrfToken,
    current: "articles",
    notice: input.notice,
    viewer: input.viewer,
    body,
  });
}

function noteCard(note: NotePreview, zone: string): Fragment {
  return html`<article class="card" aria-label="Bài đăng trên mạng xã hội">
<header>${note.icon ? html`<img src="${note.icon}" alt="" width="40" height="40">` : ""}<div><strong>${note.actorName}</strong><br><span class="muted">${note.handle}</span></div></header>
${raw(sanitizeReplyHtml(note.content))}
${note.attachments.map(
  (a) =>
    html`<figure><img src="${a.url}" alt="${a.alt}"${a.width ? html` width="${a.width}"` : ""}${a.height ? html` height="${a.height}"` : ""}><figcaption>Mô tả ảnh: ${a.alt}</figcaption></figure>\n`,
)}<p class="muted">${timeTag(note.published, zone)}</p>
</article>`;
}
