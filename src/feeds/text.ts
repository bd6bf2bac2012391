/**
 * Text transforms only the feed writers need (CDATA, xml-js text, absolute links).
 * Pure string functions: no HTML or XML library is needed for these.
 */
import type { Urls } from "../urls.ts";

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
