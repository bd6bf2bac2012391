/**
 * What the fediverse sends us, made safe to show: reply and mention HTML
 * reduced to the tags Mastodon itself keeps, links to http(s) only and
 * marked as user content. Used when a reply is stored and again when it is
 * rendered (a stored row is not trusted to have been cleaned by this version).
 */
import sanitizeHtml from "sanitize-html";

/** How {@link sanitizeReplyHtml} treats links. */
export interface SanitizeOptions {
  /**
   * The reply's own URL (its Note id): relative links are resolved against
   * it. Without it a relative link loses its target, since on our page it
   * would point into our own site.
   */
  baseUrl?: string;
}

/** Mastodon's kept tags (headings become `strong` first, as Mastodon does). */
const ALLOWED_TAGS = [
  "p",
  "br",
  "a",
  "span",
  "del",
  "pre",
  "code",
  "em",
  "strong",
  "b",
  "i",
  "u",
  "ul",
  "ol",
  "li",
  "blockquote",
];

/**
 * Elements whose text means nothing (or something dangerous) without the
 * element: dropped with everything inside. Other disallowed tags keep their text.
 */
const NON_TEXT_TAGS = [
  "script",
  "style",
  "textarea",
  "option",
  "select",
  "xmp",
  "noscript",
  "noembed",
  "noframes",
  "template",
  "iframe",
  "object",
  "title",
  "head",
  "svg",
  "math",
];

/** The fixed `rel` of every link in reply content: no SEO credit, no opener. */
export const REPLY_LINK_REL = "nofollow ugc noopener";

/**
 * Mastodon's microformat and link-shortening classes: `invisible`/`ellipsis`
 * let a long URL display shortened as on Mastodon (the CSS hides the
 * invisible part); the others mark mentions and hashtags.
 */
const SPAN_CLASSES = ["h-card", "invisible", "ellipsis"];
const LINK_CLASSES = ["mention", "hashtag", "u-url"];

/** The href of a link, absolute and http(s), or undefined when it may not be a link. */
function linkTarget(href: string | undefined, baseUrl: string | undefined): string | undefined {
  if (href === undefined) return undefined;
  try {
    // new URL() strips tabs and newlines and trims, as browsers do, so
    // "java\tscript:" is read the way a browser would read it.
    const url = baseUrl === undefined ? new URL(href) : new URL(href, baseUrl);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function optionsFor(baseUrl: string | undefined): sanitizeHtml.IOptions {
  const heading = (): sanitizeHtml.Tag => ({ tagName: "strong", attribs: {} });
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ["href", "rel"] },
    allowedClasses: { a: LINK_CLASSES, span: SPAN_CLASSES },
    allowedSchemes: ["http", "https"],
    allowedSchemesByTag: {},
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    nonTextTags: NON_TEXT_TAGS,
    // Deeper markup keeps its text but loses its tags: no page-wrecking nesting.
    nestingLimit: 20,
    transformTags: {
      a: (_tag, attribs) => {
        const href = linkTarget(attribs.href, baseUrl);
        if (href === undefined) return { tagName: "span", attribs: {} };
        const kept: sanitizeHtml.Attributes = { href, rel: REPLY_LINK_REL };
        if (attribs.class !== undefined) kept.class = attribs.class;
        return { tagName: "a", attribs: kept };
      },
      h1: heading,
      h2: heading,
      h3: heading,
      h4: heading,
      h5: heading,
      h6: heading,
    },
  };
}

const DEFAULT_OPTIONS = optionsFor(undefined);

/**
 * Reply or mention HTML from a peer, reduced to what may appear on our pages:
 * Mastodon's tags, no scripts, event handlers, styles, forms, frames or
 * images, links only to http(s) with `rel="nofollow ugc noopener"` and no
 * `target`. The text of `<script>`, `<style>` and the like is dropped; the
 * text of other removed tags is kept.
 */
export function sanitizeReplyHtml(html: string, options: SanitizeOptions = {}): string {
  const { baseUrl } = options;
  const config = baseUrl === undefined ? DEFAULT_OPTIONS : optionsFor(baseUrl);
  // Mis-nested markup (a link inside a link) comes out of one pass as written,
  // and a browser (or the next pass) would read it differently. What is stored
  // is sanitized again at render time, so the result must be a fixed point:
  // pass again until it no longer changes (twice is enough for what the
  // parser can produce; the bound is a guard).
  let out = sanitizeHtml(html, config);
  for (let pass = 0; pass < 4; pass++) {
    const again = sanitizeHtml(out, config);
    if (again === out) break;
    out = again;
  }
  return out;
}

/** Block boundaries, where plain text needs a space so words do not run together. */
const BLOCK_EDGE = /<br\s*\/?>|<\/?(?:p|li|pre|blockquote|ul|ol)>/g;

/**
 * The plain text of reply HTML (for a preview or a notification): sanitized
 * first, tags removed, entities decoded, whitespace collapsed; cut at a word
 * boundary to at most `max` characters plus an ellipsis when `max` is given.
 */
export function replyText(html: string, max?: number): string {
  // The sanitizer's output is well-formed: `<` in text and `>` in attribute
  // values come out escaped, so a tag is exactly `<…>` and the only entities
  // left are the four it writes.
  const text = sanitizeReplyHtml(html)
    .replace(BLOCK_EDGE, " ")
    .replace(/<[^>]*>/g, "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&")
    .replace(/\s+/g, " ")
    .trim();
  // Counted in code points, so an emoji is never cut in half.
  const chars = Array.from(text);
  if (max === undefined || chars.length <= max) return text;
  const cut = chars.slice(0, max).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
