/** Formatting helpers shared by the pages: dates, locales, JSON-LD, fragments. */
import { type html, raw } from "hono/html";
import { stripControl } from "../text/plain.ts";

/** What `html` returns; ours are always synchronous (no async children). */
export type Fragment = ReturnType<typeof html>;

/** Trusted markup from `raw()` (hono does not export the type from a public path). */
type RawHtml = ReturnType<typeof raw>;

/**
 * Turns a finished page into a string; a Promise here is a programming error.
 * Control characters (forbidden in HTML text, e.g. a stray BEL in a title)
 * are dropped; nothing else is touched.
 */
export function toHtmlString(fragment: Fragment): string {
  if (fragment instanceof Promise) throw new Error("page fragments must be synchronous");
  return stripControl(fragment.toString());
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A date as people in Viet Nam write it, in the site's time zone:
 * "Thứ Năm, 18/03/2021 15:00". Assembled from parts so ICU's ordering of
 * the pieces (which varies between versions) cannot change it.
 */
export function formatDateVi(date: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("vi-VN", {
      timeZone,
      weekday: "long",
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    dateFormats.set(timeZone, format);
  }
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of format.formatToParts(date)) part[type] = value;
  return `${part.weekday}, ${part.day}/${part.month}/${part.year} ${part.hour}:${part.minute}`;
}

/** Usual territory for a bare language tag, for `og:locale`. */
const DEFAULT_REGION: Record<string, string> = {
  vi: "VN",
  en: "US",
  fr: "FR",
  zh: "CN",
  ja: "JP",
  ko: "KR",
  lo: "LA",
  km: "KH",
  th: "TH",
};

/** BCP 47 (`vi`, `vi-VN`) to OpenGraph's `ll_CC` (`vi_VN`). */
export function ogLocale(language: string): string {
  const [lang = "", region] = language.split(/[-_]/);
  const lower = lang.toLowerCase();
  const country = region && /^[a-z]{2}$/i.test(region) ? region : DEFAULT_REGION[lower];
  return country ? `${lower}_${country.toUpperCase()}` : lower;
}

/**
 * JSON for a `<script type="application/ld+json">` block. `<`, `>` and `&`
 * become `\u003c`… so text like `</script>` in a title cannot end the block;
 * U+2028/2029 are escaped for old JavaScript parsers.
 */
export function jsonLd(data: unknown): RawHtml {
  const json = JSON.stringify(data, (_key, value: unknown) =>
    typeof value === "string" ? stripControl(value) : value,
  )
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
  return raw(json);
}

/** A link target only if it is http(s) or mailto: a `javascript:` URL in settings never becomes a link. */
export function safeHref(url: string): string | undefined {
  try {
    const { protocol } = new URL(url);
    return protocol === "http:" || protocol === "https:" || protocol === "mailto:"
      ? url
      : undefined;
  } catch {
    return undefined;
  }
}
