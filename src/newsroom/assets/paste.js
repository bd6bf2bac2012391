// Pasting from a word processor or a web page: its HTML becomes Markdown
// (turndown, with the GFM plugin for tables), so headings, bold, italic,
// lists, links and tables survive and nothing else comes along.

import { replaceSelection } from "./markdown-edit.js";
import TurndownService from "./turndown.js";
import { gfm } from "./turndown-gfm.js";

/** Word marks its list paragraphs by class and draws the bullet in a span it tells us to ignore. */
const WORD_LIST = /^MsoListParagraph/;
const WORD_BULLET = /mso-list:\s*Ignore/i;

/**
 * The pasted page's `style` attributes, renamed before parsing: parsed as
 * styles they would be checked (and refused, noisily) against this page's
 * CSP, while all we want of them is to read two of their words.
 */
const STYLE_ATTRIBUTE = /(<[^>]*?\s)style(\s*=)/gi;
const style = (node) => node.getAttribute("data-pasted-style") ?? "";

/** The converter, configured for the Markdown the site renders. */
export function makeConverter() {
  const service = new TurndownService({
    headingStyle: "atx",
    bulletListMarker: "-",
    codeBlockStyle: "fenced",
    emDelimiter: "*",
    strongDelimiter: "**",
    linkStyle: "inlined",
  });
  service.use(gfm);
  service.remove([
    "script",
    "style",
    "meta",
    "title",
    "head",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "form",
    "button",
    "input",
    "select",
    "textarea",
  ]);
  // Google Docs wraps a whole paste in a <b style="font-weight:normal">: not bold at all.
  service.addRule("notBold", {
    filter: (node) =>
      (node.nodeName === "B" || node.nodeName === "STRONG") &&
      /font-weight:\s*(normal|[1-4]00)\b/i.test(style(node)),
    replacement: (content) => content,
  });
  service.addRule("wordListItem", {
    filter: (node) => node.nodeName === "P" && WORD_LIST.test(node.getAttribute("class") ?? ""),
    replacement: (content, node) => {
      const numbered = /^\s*\d+[.)]/.test(node.textContent ?? "");
      return `\n${numbered ? "1." : "-"} ${content.trim()}\n`;
    },
  });
  service.addRule("wordBullet", {
    filter: (node) => node.nodeName === "SPAN" && WORD_BULLET.test(style(node)),
    replacement: () => "",
  });
  // Only pictures on the web travel: a word processor's `file:` or a huge `data:` one cannot.
  service.addRule("webPicturesOnly", {
    filter: (node) =>
      node.nodeName === "IMG" && !/^https?:\/\//i.test(node.getAttribute("src") ?? ""),
    replacement: (_content, node) => node.getAttribute("alt") ?? "",
  });
  return service;
}

/** HTML from the clipboard as Markdown. */
export function htmlToMarkdown(service, html) {
  // Word's conditional comments and `<o:p>` would otherwise surface as text.
  const cleaned = html
    .replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, "")
    .replace(/<\/?o:p>/gi, "")
    .replace(/<style[\s\S]*?<\/style\s*>/gi, "")
    .replace(STYLE_ATTRIBUTE, "$1data-pasted-style$2");
  return service
    .turndown(cleaned)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Converts HTML pasted into `textarea`; plain text pastes as the browser does it. */
export function convertPastes(textarea) {
  const service = makeConverter();
  textarea.addEventListener("paste", (event) => {
    const html = event.clipboardData?.getData("text/html") ?? "";
    if (html.trim() === "") return;
    const markdown = htmlToMarkdown(service, html);
    if (markdown === "") return;
    event.preventDefault();
    replaceSelection(textarea, markdown);
  });
}
