/**
 * Small text transforms shared by the feed writers (and the pages' excerpts).
 * Pure string functions: no HTML or XML library is needed for these.
 */
import type { Urls } from "../urls.ts";

/** Surrogate halves without their partner: not characters at all. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF: forbidden anywhere in XML 1.0. */
export function isXmlIllegal(codePoint: number): boolean {
  return (
    (codePoint < 0x20 && codePoint !== 0x09 && codePoint !== 0x0a && codePoint !== 0x0d) ||
    codePoint === 0xfffe ||
    codePoint === 0xffff
  );
}

/**
 * Removes characters that are illegal in XML 1.0; everything else is kept byte
 * for byte. `feed` passes them through and a strict parser then rejects the
 * whole document, so every string bound for a feed is cleaned.
 */
export function stripControl(text: string): string {
  let out = "";
  for (const char of text.replace(LONE_SURROGATE, "")) {
    if (!isXmlIllegal(char.codePointAt(0) ?? 0)) out += char;
  }
  return out;
}

/** Escapes text for HTML (and for XML character data/attributes). */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/**
 * Makes HTML safe to wrap in CDATA: `feed`'s CDATA writer splits only the first
 * `]]>`, so a second one would end the section early. `]]&gt;` is the same HTML.
 */
export function cdataSafeHtml(html: string): string {
  return html.replaceAll("]]>", "]]&gt;");
}

/**
 * Prepares text for an xml-js text node. xml-js "desanitizes" `&amp;` to `&`
 * before escaping (to avoid double escaping), which would turn a literal
 * `&amp;` in a title into `&`; doubling it first cancels that out.
 */
export function xmlText(text: string): string {
  return text.replaceAll("&amp;", "&amp;amp;");
}

/**
 * Rewrites root-relative `src`/`href` attributes (e.g. `/media/x.jpg`) to
 * absolute URLs: feed readers show content away from our origin and many
 * ignore `xml:base`. `Article.html` comes from our Markdown renderer, which
 * always double-quotes attributes.
 */
export function absolutizeHtml(html: string, urls: Urls): string {
  return html.replace(
    /(\s(?:src|href|poster)=")(\/(?!\/)[^"]*)"/g,
    (_m, prefix: string, path: string) =>
      `${prefix}${escapeAttr(urls.absolute(decodeAttr(path)))}"`,
  );
}

function escapeAttr(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll('"', "&quot;");
}

function decodeAttr(value: string): string {
  return value.replaceAll("&quot;", '"').replaceAll("&amp;", "&");
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00A0",
};

/** Decodes the entities our Markdown renderer emits (named basics and numeric). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code =
        name[1] === "x" || name[1] === "X"
          ? Number.parseInt(name.slice(2), 16)
          : Number.parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * A plain-text excerpt of rendered HTML (for a description when an article has
 * no summary): tags removed, entities decoded, whitespace collapsed, cut at a
 * word boundary to at most `max` characters plus an ellipsis.
 */
export function plainExcerpt(html: string, max = 200): string {
  const text = decodeEntities(html.replace(/<[^>]*>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
