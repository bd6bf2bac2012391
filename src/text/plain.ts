/**
 * Plain-text transforms shared by pages and feeds: XML-safe characters and
 * excerpts of rendered HTML.
 */
import { decodeEntities } from "./escape.ts";

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
