/**
 * The newsroom form's fields, checked as strictly as an article file
 * (`content/article.ts`): one message per field, in Vietnamese for the form
 * and in English for the logs. Nothing here touches the store.
 */
import { canonicalLanguage } from "../../content/article.ts";
import { parseIsoDateTime } from "../../content/dates.ts";
import { parseLocalDateTime } from "../../content/local-time.ts";
import { SLUG_PATTERN } from "../../content/slug.ts";
import type { ArticleFields } from "../../storage/articles.ts";
import { type ArticleForm, FORM_FIELDS, type FormField } from "./types.ts";

export const LIMITS = {
  title: 200,
  summary: 1_000,
  body: 200_000,
  tags: 20,
  tag: 50,
  author: 200,
  slug: 100,
  imageAlt: 1_000,
  comment: 2_000,
} as const;

/** One problem with a field: what the form shows and what the log says. */
export interface FieldProblem {
  field: FormField | "form" | "comment";
  vi: string;
  en: string;
}

export type FormResult =
  | {
      ok: true;
      fields: ArticleFields;
      /** The slug was left empty: the service derives one from the title. */
      slugFromTitle: boolean;
    }
  | { ok: false; problems: FieldProblem[] };

const KNOWN = new Set<string>(FORM_FIELDS);

function clean(value: string | undefined): string {
  return (value ?? "").normalize("NFC").replace(/\r\n?/g, "\n");
}

/** One line: control characters (but tab) never belong in a title or a name. */
function hasControl(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
  return /[\u0000-\u0008\u000a-\u001f\u007f]/.test(value);
}

function list(value: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of value.split(",")) {
    const item = part.trim();
    const key = item.toLocaleLowerCase("vi");
    if (item !== "" && !seen.has(key)) {
      seen.add(key);
      out.push(item);
    }
  }
  return out;
}

/**
 * Checks a posted form. `timeZone` reads `published`; `siteLanguage` is what
 * an empty `language` means.
 */
export function parseArticleForm(form: ArticleForm, timeZone: string): FormResult {
  const problems: FieldProblem[] = [];
  const fail = (field: FieldProblem["field"], vi: string, en: string) =>
    problems.push({ field, vi, en });

  const unknown = Object.keys(form).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) {
    const names = unknown.slice(0, 5).join(", ");
    fail("form", `Biểu mẫu có trường không xác định: ${names}.`, `unknown fields: ${names}`);
  }

  const title = clean(form.title).trim();
  if (title === "") fail("title", "Cần có tiêu đề.", "title is required");
  else if (title.length > LIMITS.title)
    fail(
      "title",
      `Tiêu đề quá dài: tối đa ${LIMITS.title} ký tự (hiện có ${title.length}).`,
      `title is longer than ${LIMITS.title} characters`,
    );
  else if (hasControl(title))
    fail("title", "Tiêu đề chỉ được có một dòng.", "title has control characters");

  const summary = clean(form.summary).trim();
  if (summary.length > LIMITS.summary)
    fail(
      "summary",
      `Tóm tắt quá dài: tối đa ${LIMITS.summary} ký tự.`,
      `summary is longer than ${LIMITS.summary} characters`,
    );

  const body = clean(form.body);
  if (body.length > LIMITS.body)
    fail(
      "body",
      `Nội dung quá dài: tối đa ${LIMITS.body} ký tự.`,
      `body is longer than ${LIMITS.body} characters`,
    );

  const tags = list(clean(form.tags));
  if (tags.length > LIMITS.tags || tags.some((t) => t.length > LIMITS.tag || hasControl(t)))
    fail(
      "tags",
      `Tối đa ${LIMITS.tags} thẻ, mỗi thẻ tối đa ${LIMITS.tag} ký tự, cách nhau bằng dấu phẩy.`,
      `at most ${LIMITS.tags} tags of ${LIMITS.tag} characters`,
    );

  const authorText = clean(form.author).trim();
  const authors = list(authorText);
  if (authorText.length > LIMITS.author || hasControl(authorText))
    fail(
      "author",
      `Tên tác giả quá dài: tối đa ${LIMITS.author} ký tự.`,
      `author is longer than ${LIMITS.author} characters`,
    );

  let language = "";
  const lang = clean(form.language).trim();
  if (lang !== "") {
    const canonical = canonicalLanguage(lang);
    if (canonical === undefined)
      fail(
        "language",
        "Ngôn ngữ phải là mã BCP 47, ví dụ vi hoặc en-US.",
        "language must be a BCP 47 tag such as vi or en-US",
      );
    else language = canonical;
  }

  let published: Date | null = null;
  const when = clean(form.published).trim();
  if (when !== "") {
    const local = parseLocalDateTime(when, timeZone);
    // A full ISO time with its offset (as files write it) is accepted too.
    const iso = local.ok ? undefined : parseIsoDateTime(when);
    if (local.ok) published = local.date;
    else if (iso?.ok) published = iso.date;
    else if (local.reason === "gap")
      fail(
        "published",
        `Giờ ${when} không tồn tại ở múi giờ ${timeZone} (đồng hồ được chỉnh qua giờ này).`,
        `${when} falls in a daylight-saving gap of ${timeZone}`,
      );
    else
      fail(
        "published",
        "Ngày giờ không hợp lệ: hãy viết theo dạng 2026-03-18T15:00.",
        `"${when.slice(0, 40)}" is not a date and time (YYYY-MM-DDTHH:MM)`,
      );
  }

  const slug = clean(form.slug).trim();
  if (slug !== "" && (slug.length > LIMITS.slug || !SLUG_PATTERN.test(slug)))
    fail(
      "slug",
      "Đường dẫn chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ cua-lo-hoi-nghi (tối đa 100 ký tự).",
      "slug must be lowercase letters, digits and single hyphens, at most 100 characters",
    );

  const pinnedValue = form.pinned;
  const pinned = pinnedValue !== undefined && pinnedValue !== "" && pinnedValue !== "off";

  const imageId = clean(form.image).trim();
  const imageAlt = clean(form.image_alt).trim();
  if (imageId !== "" && !/^[A-Za-z0-9_-]{1,100}$/.test(imageId))
    fail("image", "Không tìm thấy ảnh này trong thư viện.", "image is not a picture id");
  // An empty alt takes the picture's own (the service checks that one exists).
  if (imageAlt.length > LIMITS.imageAlt)
    fail(
      "image_alt",
      `Mô tả ảnh quá dài: tối đa ${LIMITS.imageAlt} ký tự.`,
      "alt text is too long",
    );

  // One message per field: the first problem found for it.
  const byField = new Map<string, FieldProblem>();
  for (const p of problems) if (!byField.has(p.field)) byField.set(p.field, p);
  const firsts = [...byField.values()];
  if (firsts.length > 0) return { ok: false, problems: firsts };
  return {
    ok: true,
    slugFromTitle: slug === "",
    fields: {
      title,
      summary,
      body,
      tags,
      authors,
      language,
      published,
      slug,
      pinned,
      imageId: imageId === "" ? null : imageId,
      imageAlt: imageId === "" ? "" : imageAlt,
    },
  };
}
