/**
 * `/admin/media`: upload a picture (`file`, `alt`) and the library, newest
 * first, each with its id (what an article's `image` field takes), its
 * thumbnail and a form to change its alt text. Works without JavaScript.
 */
import { html } from "hono/html";
import { ARTICLE_SIZES, type Picture, pictureImage } from "../../media/picture.ts";
import type { Fragment } from "../../pages/format.ts";
import { fillPath, PATHS } from "../../urls.ts";
import { pager } from "./forms.ts";
import { formatCount, timeTag } from "./labels.ts";
import { renderNewsroomLayout, type StaffPageInput } from "./layout.ts";
import { CSRF_FIELD, NEWSROOM_PATHS } from "./paths.ts";

/** The longest alt text kept (Mastodon's limit for a description). */
export const ALT_MAX_LENGTH = 1500;

/** What {@link renderMedia} needs. */
export interface MediaPageInput extends StaffPageInput {
  /** This page of the library, newest first. */
  pictures: readonly Picture[];
  /** The cursor of the next page (the store's `Page.next`). */
  next?: string;
  /** Why the last upload was refused (the form comes back with its alt text). */
  error?: string;
  /** The alt text sent with a refused upload. */
  alt?: string;
}

/** Root-relative: the staff use the newsroom on the site's own origin (`img-src 'self'`). */
const rootRelative = {
  picture: (id: string, file: string) => fillPath(PATHS.picture, { id, file }),
};

const FORMAT_LABELS: Readonly<Record<Picture["format"], string>> = {
  jpeg: "JPEG",
  png: "PNG",
  webp: "WebP",
  gif: "GIF (ảnh động chỉ giữ khung hình đầu)",
};

export function renderMedia(input: MediaPageInput): string {
  const { site, csrfToken, pictures } = input;
  return renderNewsroomLayout({
    site,
    title: "Ảnh",
    csrfToken,
    current: "media",
    notice: input.notice,
    viewer: input.viewer,
    body: html`<form class="add" method="post" action="${NEWSROOM_PATHS.media}" enctype="multipart/form-data"><input type="hidden" name="${CSRF_FIELD}" value="${csrfToken}">
<h2>Tải ảnh lên</h2>
${input.error ? html`<p class="error" role="alert" id="upload-error">${input.error}</p>\n` : ""}<p class="muted" id="upload-help">Ảnh JPEG, PNG, WebP hoặc GIF, tối đa 20 MB. Vị trí GPS, tên máy ảnh và mọi thông tin ẩn trong tệp được xóa trước khi ảnh lên trang.</p>
<label for="upload-file">Tệp ảnh</label>
<input id="upload-file" name="file" type="file" accept="image/jpeg,image/png,image/webp,image/gif" required aria-describedby="upload-help${input.error ? " upload-error" : ""}">
<label for="upload-alt">Mô tả ảnh cho người không nhìn thấy ảnh (bắt buộc)</label>
<textarea id="upload-alt" name="alt" rows="3" maxlength="${ALT_MAX_LENGTH}" required aria-describedby="alt-help">${input.alt ?? ""}</textarea>
<p class="muted" id="alt-help">Viết điều ảnh cho thấy, ví dụ: “Các hộ dân họp tại nhà văn hóa tổ 3”. Mô tả đi cùng ảnh trên trang và trên mạng xã hội.</p>
<button type="submit" class="primary">Tải ảnh lên</button></form>
<h2>Thư viện ảnh</h2>
${
  pictures.length === 0
    ? html`<p>Chưa có ảnh nào.</p>`
    : html`<ul class="items pictures">
${pictures.map((p) => html`<li>${libraryItem(p, csrfToken, site.timezone)}</li>\n`)}</ul>
${pager(NEWSROOM_PATHS.media, input.next)}`
}`,
  });
}

function libraryItem(picture: Picture, csrfToken: string, timeZone: string): Fragment {
  const image = pictureImage(picture, rootRelative, ARTICLE_SIZES);
  const field = `alt-${picture.id}`;
  return html`<img src="${image.src}" srcset="${image.srcset}" sizes="(min-width: 48rem) 46rem, 100vw" width="${image.width}" height="${image.height}" alt="${picture.alt}" loading="lazy" decoding="async">
<p>Mã ảnh: <code>${picture.id}</code></p>
<p class="muted">${FORMAT_LABELS[picture.format]}, ${formatCount(picture.width)} × ${formatCount(picture.height)} điểm ảnh · tải lên lúc ${timeTag(picture.createdAt, timeZone)} bởi ${picture.uploadedBy}</p>
<form method="post" action="${NEWSROOM_PATHS.mediaAlt}"><input type="hidden" name="${CSRF_FIELD}" value="${csrfToken}"><input type="hidden" name="id" value="${picture.id}">
<label for="${field}">Mô tả ảnh</label>
<textarea id="${field}" name="alt" rows="2" maxlength="${ALT_MAX_LENGTH}" required>${picture.alt}</textarea>
<div class="actions"><button type="submit">Lưu mô tả</button></div></form>
<form method="post" action="${NEWSROOM_PATHS.mediaDelete}"><input type="hidden" name="${CSRF_FIELD}" value="${csrfToken}"><input type="hidden" name="id" value="${picture.id}">
<div class="actions"><button type="submit" class="danger">Xoá ảnh</button></div></form>`;
}
