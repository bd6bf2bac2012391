/**
 * Article bodies written in the newsroom may carry a little HTML; this keeps
 * what an article needs (headings, tables, figures and captions, pictures
 * from our own origin) and drops what a staff account must never put on a
 * public page: scripts, event handlers, styles, forms, frames, foreign
 * pictures (a tracking pixel) and any link that is not http(s) or mailto.
 * The same library and the same fixed-point rule as replies (`sanitize.ts`).
 */
import sanitizeHtml from "sanitize-html";

const ARTICLE_TAGS = [
  "p",
  "br",
  "hr",
  "a",
  "span",
  "del",
  "s",
  "ins",
  "mark",
  "sup",
  "sub",
  "abbr",
  "pre",
  "code",
  "kbd",
  "em",
  "strong",
  "b",
  "i",
  "u",
  "small",
  "ul",
  "ol",
  "li",
  "dl",
  "dt",
  "dd",
  "blockquote",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "table",
  "caption",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "th",
  "td",
  "figure",
  "figcaption",
  "img",
];

/** Dropped with everything inside (their text means nothing, or something dangerous). */
const NON_TEXT_TAGS = [
  "script",
  "style",
  "textarea",
  "option",
  "select",
  "button",
  "xmp",
  "noscript",
  "noembed",
  "noframes",
  "template",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "title",
  "head",
  "svg",
  "math",
];

function resolve(href: string | undefined, origin: string): URL | undefined {
  if (href === undefined) return undefined;
  try {
    return new URL(href, origin);
  } catch {
    return undefined;
  }
}

function optionsFor(origin: string): sanitizeHtml.IOptions {
  const own = new URL(origin).origin;
  return {
    allowedTags: ARTICLE_TAGS,
    allowedAttributes: {
      a: ["href", "title"],
      img: ["src", "alt", "width", "height", "title"],
      abbr: ["title"],
      th: ["align", "colspan", "rowspan", "scope"],
      td: ["align", "colspan", "rowspan"],
      ol: ["start"],
      code: ["class"],
    },
    allowedClasses: { code: ["language-*"] },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["http", "https"] },
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    nonTextTags: NON_TEXT_TAGS,
    nestingLimit: 30,
    transformTags: {
      h1: "h2",
      a: (_tag, attribs) => {
        const url = resolve(attribs.href, origin);
        const ok = url && ["http:", "https:", "mailto:"].includes(url.protocol);
        if (!ok) return { tagName: "span", attribs: {} };
        // The href as written (checked above, as a browser reads it): the
        // same Markdown renders the same link as in a file article.
        const kept: sanitizeHtml.Attributes = { href: (attribs.href ?? "").trim() };
        if (attribs.title !== undefined) kept.title = attribs.title;
        return { tagName: "a", attribs: kept };
      },
      img: (_tag, attribs) => {
        const url = resolve(attribs.src, origin);
        const { src: _src, ...rest } = attribs;
        // Pictures only from our own origin: a foreign one would tell a third party who reads.
        if (!url || url.origin !== own) return { tagName: "img", attribs: rest };
        return { tagName: "img", attribs: { ...rest, src: url.pathname + url.search } };
      },
    },
    exclusiveFilter: (frame) => frame.tag === "img" && !frame.attribs.src,
  };
}

const cache = new Map<string, sanitizeHtml.IOptions>();

/** An article body's HTML made safe for a public page served at `origin`. */
export function sanitizeArticleHtml(html: string, origin: string): string {
  let config = cache.get(origin);
  if (!config) {
    config = optionsFor(origin);
    cache.set(origin, config);
  }
  let out = sanitizeHtml(html, config);
  for (let pass = 0; pass < 4; pass++) {
    const again = sanitizeHtml(out, config);
    if (again === out) break;
    out = again;
  }
  return out;
}
