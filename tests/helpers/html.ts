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

/** An element of {@link treeOf}'s tree: children are elements and text, in order. */
export interface TreeNode {
  name: string;
  attribs: Record<string, string>;
  children: (TreeNode | string)[];
  parent: TreeNode | null;
}

/** The document as a tree of elements (`#root` at the top), for checks on nesting. */
export function treeOf(html: string): TreeNode {
  const root: TreeNode = { name: "#root", attribs: {}, children: [], parent: null };
  let current = root;
  sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    onOpenTag: (name, attribs) => {
      const node: TreeNode = { name, attribs: { ...attribs }, children: [], parent: current };
      current.children.push(node);
      current = node;
    },
    onCloseTag: () => {
      current = current.parent ?? root;
    },
    textFilter: (escaped) => {
      current.children.push(
        escaped
          .replaceAll("&lt;", "<")
          .replaceAll("&gt;", ">")
          .replaceAll("&quot;", '"')
          .replaceAll("&amp;", "&"),
      );
      return escaped;
    },
  });
  return root;
}

/** Every element under `node` (depth first) that `test` accepts. */
export function findAll(node: TreeNode, test: (n: TreeNode) => boolean): TreeNode[] {
  const found: TreeNode[] = [];
  for (const child of node.children) {
    if (typeof child === "string") continue;
    if (test(child)) found.push(child);
    found.push(...findAll(child, test));
  }
  return found;
}

/** The elements under `node` that are `name` and carry `className` among their classes. */
export function byClass(node: TreeNode, name: string, className: string): TreeNode[] {
  return findAll(
    node,
    (n) => n.name === name && (n.attribs.class ?? "").split(/\s+/).includes(className),
  );
}

/** A node's text content as a reader sees it: blocks apart, whitespace collapsed. */
export function nodeText(node: TreeNode): string {
  const parts: string[] = [];
  const walk = (n: TreeNode) => {
    for (const child of n.children) {
      if (typeof child === "string") parts.push(child);
      else {
        const block = BLOCKS.has(child.name);
        if (block) parts.push(" ");
        walk(child);
        if (block) parts.push(" ");
      }
    }
  };
  walk(node);
  return parts.join("").replace(/\s+/g, " ").trim();
}

/** The element children of `node` named `name`. */
export function childrenNamed(node: TreeNode, name: string): TreeNode[] {
  return node.children.filter((c): c is TreeNode => typeof c !== "string" && c.name === name);
}
