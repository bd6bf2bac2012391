import { Marked, type Tokens } from "marked";
import { sanitizeArticleHtml } from "../text/article-sanitize.ts";
import { escapeHtml } from "../text/escape.ts";

// Our own instance: configuring the global `marked` would leak into (or be
// changed by) any other module that uses it.
const marked = new Marked({ gfm: true, async: false });

/** Link and image targets we let through; `javascript:` and friends are not. */
function isSafeUrl(href: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href.trim());
  if (!scheme) return true; // relative, root-relative or a fragment
  return ["http", "https", "mailto"].includes((scheme[1] ?? "").toLowerCase());
}

marked.use({
  renderer: {
    // Raw HTML in an article is shown as text, never interpreted: the files are
    // written by people, and pages, feeds and Notes must stay safe.
    html(token: Tokens.HTML | Tokens.Tag): string {
      const escaped = escapeHtml(token.text.replace(/\n+$/, ""));
      return "block" in token && token.block ? `<p>${escaped}</p>\n` : escaped;
    },
    link(token: Tokens.Link): string | false {
      if (isSafeUrl(token.href)) return false; // the default renderer
      return this.parser.parseInline(token.tokens);
    },
    image(token: Tokens.Image): string | false {
      if (isSafeUrl(token.href)) return false;
      return escapeHtml(token.text);
    },
  },
});

/** Renders an article's Markdown body to HTML with raw HTML escaped. */
export function renderMarkdown(markdown: string): string {
  return marked.parse(markdown, { async: false });
}

// The newsroom's instance: raw HTML is parsed, then the sanitizer decides.
const withHtml = new Marked({ gfm: true, async: false });

/**
 * Renders a newsroom article's Markdown, keeping the little HTML an article
 * needs (tables, figures, captions, our own pictures) and nothing a page must
 * not carry (see `text/article-sanitize.ts`).
 */
export function renderNewsroomMarkdown(markdown: string, origin: string): string {
  return sanitizeArticleHtml(withHtml.parse(markdown, { async: false }), origin);
}
