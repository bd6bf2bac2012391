/** Atom 1.0 (RFC 4287) from feed entries, through `feed`'s atom1() with its defects worked around. */
import { Feed } from "feed";
import { escapeHtml } from "../text/escape.ts";
import type { FeedChannel, FeedEntry } from "./entries.ts";
import { addAtomHistory } from "./history.ts";
import { cdataSafeHtml, xmlText } from "./text.ts";

/** Writes the Atom document. */
export function writeAtom(channel: FeedChannel, entries: FeedEntry[]): string {
  const feed = new Feed({
    id: channel.home,
    title: xmlText(channel.title),
    description: xmlText(channel.description),
    link: channel.home,
    updated: channel.updated,
    generator: "Loa",
    feedLinks: { atom: channel.atom },
    // `<link rel="hub">`, after the self link (WebSub §4 discovery).
    hub: channel.hub,
    // Entries without a byline inherit this (RFC 4287 requires an author).
    author: { name: xmlText(channel.authorName), link: channel.home },
    image: channel.icon,
    favicon: channel.icon,
  });
  for (const entry of entries) {
    feed.addItem({
      // `feed` writes entry titles and summaries as type="html": escape plain text.
      title: escapeHtml(entry.title),
      link: entry.url,
      date: entry.updated,
      published: entry.published,
      description: entry.summary ? escapeHtml(entry.summary) : undefined,
      content: entry.html ? cdataSafeHtml(entry.html) : undefined,
      author:
        entry.authors.length > 0
          ? entry.authors.map((name) => ({ name: xmlText(name) }))
          : undefined,
      // `term` is required; with only `name` it is lost.
      category: entry.tags.map((tag) => ({ term: categoryAttr(tag), name: categoryAttr(tag) })),
      image: entry.image ? { url: entry.image.url, length: entry.image.length } : undefined,
    });
  }
  let xml = feed.atom1();
  xml = addLanguage(xml, channel.language);
  xml = addEntryLanguages(xml, entries, channel.language);
  for (const entry of entries) {
    if (entry.image) xml = fixEnclosureType(xml, entry.image.url, entry.image.mediaType);
  }
  return addAtomHistory(xml, channel.history);
}

/**
 * `feed` escapes `&` in category attributes and xml-js escapes `"`, but
 * nobody escapes `<`, which is illegal in an attribute. No real tag has one;
 * dropping it keeps the document well-formed.
 */
function categoryAttr(tag: string): string {
  return tag.replaceAll("<", "");
}

/** `feed` writes no language in Atom: declare it on the root element. */
function addLanguage(xml: string, language: string): string {
  return xml.replace(
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeHtml(language)}">`,
  );
}

/** `vi` and `vi-VN` are different tags, `vi` and `VI` are not (BCP 47 is case-insensitive). */
const sameLanguage = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * `xml:lang` on each `<entry>` whose article is in another language than the
 * feed's (`feed` has no per-entry attributes). Entries are written in order,
 * so the n-th `<entry>` tag is the n-th entry's. Only outside CDATA sections
 * can `<entry>` be markup: everywhere else text and attributes have their `<`
 * escaped (or dropped, see categoryAttr).
 */
function addEntryLanguages(xml: string, entries: FeedEntry[], feedLanguage: string): string {
  if (entries.every((entry) => sameLanguage(entry.language, feedLanguage))) return xml;
  let n = 0;
  return xml
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part, i) =>
      // split() with a capture group puts the CDATA sections at odd indexes.
      i % 2 === 1
        ? part
        : part.replaceAll("<entry>", () => {
            const entry = entries[n++];
            return entry && !sameLanguage(entry.language, feedLanguage)
              ? `<entry xml:lang="${escapeHtml(entry.language)}">`
              : "<entry>";
          }),
    )
    .join("");
}

/**
 * `feed` ignores an enclosure's type in Atom and writes `image/<extension>`
 * (`image/jpg`, or garbage for a URL without one). Its output for a given URL
 * is deterministic, so the attribute it wrote is found and corrected.
 */
function fixEnclosureType(xml: string, url: string, mediaType: string): string {
  // Mirrors feed's formatEnclosure (sanitizeUrl, then the path's last "." part)
  // and xml-js's attribute writer (which escapes only `"`).
  const href = new URL(url).toString().replaceAll("&", "&amp;");
  const extension = new URL(href).pathname.split(".").slice(-1)[0];
  const written = `rel="enclosure" href="${href.replaceAll('"', "&quot;")}" type="image/${extension}"`;
  const wanted = `rel="enclosure" href="${href.replaceAll('"', "&quot;")}" type="${escapeHtml(mediaType)}"`;
  return xml.replaceAll(written, wanted);
}
