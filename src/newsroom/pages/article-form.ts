/**
 * `/admin/articles/new` and `/admin/articles/{id}`: the article form with the
 * contract's field names. Plain HTML that works without JavaScript; where it
 * runs, `assets/editor.js` shows the toolbar, converts pastes and keeps a live
 * preview. An error is one message beside its field, and the form comes back
 * as it was sent.
 */
import { html } from "hono/html";
import type { Fragment } from "../../pages/format.ts";
import {
  ACTION_LABELS,
  type ArticleAction,
  type ArticleState,
  EVENT_LABELS,
  type RevisionEvent,
  STATE_LABELS,
} from "./article-labels.ts";
import { timeTag } from "./labels.ts";
import { renderNewsroomLayout, type StaffPageInput } from "./layout.ts";
import { ARTICLE_PATHS, CSRF_FIELD, NEWSROOM_ASSETS } from "./paths.ts";

/** The form's fields as strings, exactly as sent or loaded (`pinned` a checkbox). */
export interface ArticleFormValues {
  title: string;
  summary: string;
  body: string;
  tags: string;
  author: string;
  language: string;
  published: string;
  slug: string;
  pinned: boolean;
  image: string;
  image_alt: string;
  revision: string;
  comment: string;
}

export type ArticleField = Exclude<keyof ArticleFormValues, "revision">;

/** An empty form (a new article) in the site's language. */
export function emptyValues(language: string): ArticleFormValues {
  return {
    title: "",
    summary: "",
    body: "",
    tags: "",
    author: "",
    language,
    published: "",
    slug: "",
    pinned: false,
    image: "",
    image_alt: "",
    revision: "",
    comment: "",
  };
}

/** One step in the article's life: who did what to which revision, when. */
export interface HistoryEntry {
  event: RevisionEvent;
  by: string;
  at: Date;
  revision?: string;
  comment?: string;
}

/** A picture in the library, to insert in the body or choose as the article's picture. */
export interface LibraryPicture {
  id: string;
  src: string;
  alt: string;
}

export interface ArticleFormInput extends StaffPageInput {
  /** Absent for a new article. */
  id?: string;
  state?: ArticleState;
  values: ArticleFormValues;
  /** One message per field (Vietnamese), and `form` for what belongs to no field. */
  errors?: Partial<Record<ArticleField | "form", string>>;
  /** The buttons this member may press on this article now (the service decides). */
  actions: readonly ArticleAction[];
  /** The editor's comment when the article came back to its writer. */
  returned?: { comment: string; by: string; at: Date };
  history?: readonly HistoryEntry[];
  pictures?: readonly LibraryPicture[];
  /** Once published, the slug is the article's URL and stays. */
  slugFixed?: boolean;
  /** Where the article is online, when it is. */
  publicUrl?: string;
  timeZone: string;
}

/** Renders the form page. */
export function renderArticleForm(input: ArticleFormInput): string {
  const { id, values } = input;
  const errors = input.errors ?? {};
  const action = id === undefined ? ARTICLE_PATHS.create : ARTICLE_PATHS.edit(id);
  const title =
    id === undefined ? "Bài viết mới" : values.title.trim() === "" ? "Bài viết" : values.title;
  const field = fieldHelpers(values, errors);
  const body = html`${errors.form ? html`<p class="error" role="alert">${errors.form}</p>\n` : ""}${
    input.state
      ? html`<p class="muted">Trạng thái: <span class="state">${STATE_LABELS[input.state]}</span>${input.publicUrl ? html` · <a href="${input.publicUrl}">Xem trên trang</a>` : ""}${id !== undefined ? html` · <a href="${ARTICLE_PATHS.preview(id)}">Xem trước</a> · <a href="${ARTICLE_PATHS.revisions(id)}">Các phiên bản</a>` : ""}</p>\n`
      : ""
  }${input.returned ? returnedNote(input.returned, input.timeZone) : ""}<form method="post" action="${action}" class="article" data-preview="${ARTICLE_PATHS.livePreview}" novalidate>
<input type="hidden" name="${CSRF_FIELD}" value="${input.csrfToken}">
<input type="hidden" name="revision" value="${values.revision}">
${field.text("title", "Tiêu đề", { required: true, maxlength: 300 })}
${field.textarea("summary", "Tóm tắt", "Một hai câu hiện trong danh sách bài và khi chia sẻ lên mạng xã hội.", 3)}
<label for="body">Nội dung</label>
<div class="toolbar" role="toolbar" aria-label="Định dạng nội dung" aria-controls="body" hidden>
${TOOLBAR.map(([md, label]) => html`<button type="button" data-md="${md}">${label}</button>`)}
</div>
<p class="hint" id="body-hint">Viết như thư thường; dán từ Word hay trang web vẫn giữ tiêu đề, chữ đậm, danh sách và liên kết. Cú pháp Markdown: <code>## Tiêu đề</code>, <code>**đậm**</code>, <code>- mục</code>, <code>[chữ](https://…)</code>.</p>
${field.error("body")}<textarea id="body" name="body" rows="18" aria-describedby="body-hint${errors.body ? " body-error" : ""}"${errors.body ? html` aria-invalid="true"` : ""}>${values.body}</textarea>
${pictureLibrary(input.pictures ?? [], values)}
${field.text("tags", "Thẻ", { hint: "Cách nhau bằng dấu phẩy, ví dụ: tiếp dân, hành chính." })}
${field.text("author", "Tác giả", { hint: "Để trống: bài đứng tên Ủy ban." })}
${field.text("published", "Ngày giờ đăng", { type: "datetime-local", hint: `Theo giờ địa phương (${input.timeZone}), dạng YYYY-MM-DDTHH:MM. Để trống: đăng ngay khi duyệt; giờ trong tương lai: hẹn giờ đăng.` })}
${field.text("slug", "Đường dẫn", { hint: input.slugFixed ? "Bài đã đăng: đường dẫn không đổi nữa." : "Chữ thường không dấu, số và gạch ngang; để trống sẽ tạo từ tiêu đề.", readonly: input.slugFixed === true })}
${field.text("language", "Ngôn ngữ", { hint: "Mã ngôn ngữ, ví dụ vi hoặc en." })}
<label class="check"><input type="checkbox" name="pinned" value="on" id="pinned"${values.pinned ? " checked" : ""}>Ghim lên đầu trang hồ sơ</label>
${field.error("pinned")}${input.actions.includes("return") ? field.textarea("comment", "Nhận xét khi trả lại", "Người viết sẽ thấy nhận xét này bên cạnh bản nháp.", 3) : ""}
<div class="actions">
${input.actions.map((a) => html`<button type="submit" name="action" value="${a}"${a === "withdraw" ? html` class="danger"` : a === "save" ? html` class="primary"` : ""}>${ACTION_LABELS[a]}</button>`)}
</div>
</form>
<section aria-labelledby="live-preview-title" hidden>
<h2 id="live-preview-title">Xem trước</h2>
<div id="live-preview" class="preview-box" aria-busy="true"></div>
</section>
${input.history && input.history.length > 0 ? historyList(input.history, input.timeZone) : ""}`;
  return renderNewsroomLayout({
    site: input.site,
    title,
    csrfToken: input.csrfToken,
    current: "articles",
    notice: input.notice,
    viewer: input.viewer,
    body,
    scripts: [`${NEWSROOM_ASSETS}editor.js`],
  });
}

/** Each button's visible words are its whole name (speech users say what they see). */
const TOOLBAR: readonly (readonly [string, string])[] = [
  ["heading", "Tiêu đề mục"],
  ["bold", "Đậm"],
  ["italic", "Nghiêng"],
  ["bullets", "Gạch đầu dòng"],
  ["numbers", "Đánh số"],
  ["link", "Liên kết"],
  ["picture", "Chèn ảnh"],
];

interface TextOptions {
  type?: string;
  hint?: string;
  required?: boolean;
  maxlength?: number;
  readonly?: boolean;
}

type StringField = Exclude<ArticleField, "pinned">;

function fieldHelpers(
  values: ArticleFormValues,
  errors: Partial<Record<ArticleField | "form", string>>,
) {
  const error = (name: ArticleField): Fragment | string =>
    errors[name] ? html`<p class="field-error" id="${name}-error">${errors[name]}</p>\n` : "";
  const describedBy = (name: ArticleField, hint: boolean): Fragment | string => {
    const ids = [hint ? `${name}-hint` : "", errors[name] ? `${name}-error` : ""].filter(Boolean);
    return ids.length > 0 ? html` aria-describedby="${ids.join(" ")}"` : "";
  };
  const invalid = (name: ArticleField) => (errors[name] ? html` aria-invalid="true"` : "");
  return {
    error,
    text: (name: StringField, label: string, options: TextOptions = {}): Fragment =>
      html`<label for="${name}">${label}</label>
${options.hint ? html`<p class="hint" id="${name}-hint">${options.hint}</p>\n` : ""}${error(name)}<input id="${name}" name="${name}" type="${options.type ?? "text"}" value="${values[name]}"${options.required ? " required" : ""}${options.maxlength ? html` maxlength="${options.maxlength}"` : ""}${options.readonly ? " readonly" : ""}${describedBy(name, options.hint !== undefined)}${invalid(name)}>`,
    textarea: (name: StringField, label: string, hint: string, rows: number): Fragment =>
      html`<label for="${name}">${label}</label>
<p class="hint" id="${name}-hint">${hint}</p>
${error(name)}<textarea id="${name}" name="${name}" rows="${rows}"${describedBy(name, true)}${invalid(name)}>${values[name]}</textarea>`,
  };
}

function returnedNote(returned: { comment: string; by: string; at: Date }, zone: string): Fragment {
  return html`<aside class="comment" aria-labelledby="returned-title">
<h2 id="returned-title">Biên tập viên trả lại bài</h2>
<p>${returned.comment}</p>
<p class="muted">${returned.by} · ${timeTag(returned.at, zone)}</p>
</aside>
`;
}

/**
 * The article's picture (`image`, `image_alt`) and the library: without
 * JavaScript, a picture is chosen by its id; with it, a button inserts a
 * library picture into the body at the cursor.
 */
function pictureLibrary(pictures: readonly LibraryPicture[], values: ArticleFormValues): Fragment {
  return html`<details id="pictures"${values.image !== "" ? " open" : ""}>
<summary>Ảnh của bài và thư viện ảnh</summary>
<label for="image">Ảnh đại diện của bài</label>
<select id="image" name="image">
<option value="">(không có ảnh)</option>
${pictures.map((p) => html`<option value="${p.id}"${p.id === values.image ? " selected" : ""}>${p.alt || p.id}</option>`)}${
  values.image !== "" && !pictures.some((p) => p.id === values.image)
    ? html`<option value="${values.image}" selected>${values.image}</option>`
    : ""
}
</select>
<label for="image_alt">Mô tả ảnh cho người không nhìn thấy (bắt buộc khi có ảnh)</label>
<input id="image_alt" name="image_alt" value="${values.image_alt}" maxlength="1500">
${
  pictures.length === 0
    ? html`<p class="hint">Thư viện chưa có ảnh. <a href="/admin/media">Tải ảnh lên</a>.</p>`
    : html`<ul class="pictures">
${pictures.map((p) => html`<li><img src="${p.src}" alt="${p.alt}" loading="lazy"><button type="button" data-src="${p.src}" data-alt="${p.alt}" hidden>Chèn vào nội dung</button></li>\n`)}</ul>
<p class="hint"><a href="/admin/media">Tải thêm ảnh lên thư viện</a></p>`
}
</details>`;
}

function historyList(history: readonly HistoryEntry[], zone: string): Fragment {
  return html`<h2>Lịch sử</h2>
<ol class="rows">
${history.map(
  (h) =>
    html`<li>${EVENT_LABELS[h.event]}${h.revision ? html` (phiên bản ${h.revision})` : ""} · ${h.by} · ${timeTag(h.at, zone)}${h.comment ? html`<br><span class="muted">${h.comment}</span>` : ""}</li>\n`,
)}</ol>`;
}
