/**
 * Reads HTML the way tests need it: the elements a parser sees, with their
 * attributes (entities decoded), and the text a reader sees. Built on the
 * HTML parser inside sanitize-html (a declared dependency), told to keep
 * everything, so no second parser is needed.
 */
import sanitizeHtml from "sanitize-html";

/** One start tag as the parser read it. */
export interface ParsedElement {
  name: string;
  attribs: Record<string, string>;
}

/** Every element in document order, with decoded attribute values. */
export function elementsOf(html: string): ParsedElement[] {
  const found: ParsedElement[] = [];
  sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    onOpenTag: (name, attribs) => found.push({ name, attribs: { ...attribs } }),
  });
  return found;
}

/** The elements named `name`. */
export function elementsNamed(html: string, name: string): ParsedElement[] {
  return elementsOf(html).filter((element) => element.name === name);
}

/** Elements a reader sees as separate lines or boxes: their edges separate words. */
const BLOCKS = new Set(
  "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table td th tr ul".split(
    " ",
  ),
);

/** The text content as a reader sees it: entities decoded, blocks apart, whitespace collapsed. */
export function textOf(html: string): string {
  let text = "";
  const edge = (name: string) => {
    if (BLOCKS.has(name)) text += " ";
  };
  sanitizeHtml(html, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: [],
    onOpenTag: edge,
    onCloseTag: edge,
    textFilter: (escaped) => {
      text += escaped
        .replaceAll("&lt;", "<")
        .replaceAll("&gt;", ">")
        .replaceAll("&quot;", '"')
        .replaceAll("&amp;", "&");
      return "";
    },
  });
  return text.replace(/\s+/g, " ").trim();
}

/** The outer HTML of each `<tag …>…</tag>` (for elements that do not nest, such as forms). */
export function blocksOf(html: string, tag: string): string[] {
  return html.match(new RegExp(`<${tag}\\b[\\s\\S]*?</${tag}>`, "g")) ?? [];
}
