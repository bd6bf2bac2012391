/**
 * A form's content as an `Article`, for previews only: what the public page
 * template and the Note mapper take, so a preview is rendered by the very
 * code readers and followers get. Nothing here is stored or validated: a
 * field that does not parse yet (a half-typed date) falls back to a harmless
 * value, since the preview follows the writer's typing.
 */

import { renderNewsroomMarkdown } from "../../content/markdown.ts";
import { SLUG_PATTERN, slugify } from "../../content/slug.ts";
import type { Article, ArticleImage } from "../../content/types.ts";

/** The form fields a preview reads (the contract's names). */
export interface DraftFields {
  title?: string;
  summary?: string;
  body?: string;
  tags?: string;
  author?: string;
  language?: string;
  published?: string;
  slug?: string;
}

/** The longest body a live preview renders; the form's own limit is larger than any article. */
const MAX_BODY = 512 * 1024;

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** `YYYY-MM-DDTHH:MM` in `timeZone` as an instant, or undefined when it does not parse. */
export function localDateTime(value: string, timeZone: string): Date | undefined {
  const m = LOCAL.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(asUtc)) return undefined;
  // The zone's offset at that moment, read back from Intl (no library needed for a preview).
  const offsetAt = (t: number) => {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    }).formatToParts(new Date(t));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute")) - t;
  };
  const first = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(first));
}

/** The draft as the page and the Note would show it. */
export function draftArticle(
  fields: DraftFields,
  options: { language: string; timeZone: string; now: Date; origin: string; image?: ArticleImage },
): Article {
  const title = (fields.title ?? "").trim() || "(chưa có tiêu đề)";
  const given = (fields.slug ?? "").trim();
  const slug = SLUG_PATTERN.test(given) ? given : slugify(title) || "ban-nhap";
  const summary = (fields.summary ?? "").trim();
  const authors = (fields.author ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "");
  return {
    slug,
    file: "",
    title,
    published: localDateTime(fields.published ?? "", options.timeZone) ?? options.now,
    authors,
    ...(summary ? { summary } : {}),
    tags: (fields.tags ?? "")
      .split(",")
      .map((t) => t.trim())
      .filter((t) => t !== ""),
    language: (fields.language ?? "").trim() || options.language,
    ...(options.image ? { image: options.image } : {}),
    html: renderNewsroomMarkdown((fields.body ?? "").slice(0, MAX_BODY), options.origin),
    hash: "",
  };
}
