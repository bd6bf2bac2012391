/** RSS 2.0 from feed entries, through `feed`'s rss2() with its defects worked around. */
import { Feed } from "feed";
import { escapeHtml } from "../text/escape.ts";
import type { FeedChannel, FeedEntry } from "./entries.ts";
import { addRssHistory } from "./history.ts";
import { cdataSafeHtml, xmlText } from "./text.ts";

const DC_NAMESPACE = "http://purl.org/dc/elements/1.1/";

/**
 * Writes the RSS 2.0 document. RSS has no per-item language (only the
 * channel's `<language>`), so an article in another language than the site's
 * is not marked here; Atom and JSON Feed mark it.
 */
export function writeRss(channel: FeedChannel, entries: FeedEntry[]): string {
  const feed = new Feed({
    id: channel.home,
    title: xmlText(channel.title),
    description: xmlText(channel.description),
    link: channel.home,
    language: channel.language,
    // Without it lastBuildDate is "now" and the document changes on every call.
    updated: channel.updated,
    generator: "Loa",
    // Only `feedLinks.rss` (not `feed`) so atom:link rel=self is the RSS URL.
    feedLinks: { rss: channel.rss },
    // `atom:link rel="hub"`, after the self link (WebSub §4 discovery).
    hub: channel.hub,
    image: channel.icon,
  });
  for (const entry of entries) {
    feed.addItem({
      // Overridden by the "title" extension below: `feed` writes titles as
      // CDATA and splits only the first `]]>`; a plain text node has no limit.
      title: entry.title,
      link: entry.url,
      date: entry.updated,
      published: entry.published,
      // RSS readers treat <description> as HTML: the plain summary is escaped.
      description: entry.summary ? escapeHtml(entry.summary) : undefined,
      content: entry.html ? cdataSafeHtml(entry.html) : undefined,
      category: entry.tags.map((tag) => ({ name: xmlText(tag) })),
      enclosure: entry.image
        ? // A remote image's size is unknown without fetching it; the RSS Best
          // Practices Profile asks for 0 then.
          { url: entry.image.url, type: entry.image.mediaType, length: entry.image.length ?? 0 }
        : undefined,
      extensions: [
        { name: "title", objects: { _text: xmlText(entry.title) } },
        // RSS <author> must be an e-mail address; a byline is dc:creator.
        ...(entry.authors.length > 0
          ? [{ name: "dc:creator", objects: bylines(entry.authors) }]
          : []),
      ],
    });
  }
  return addRssHistory(ensureDcNamespace(feed.rss2()), channel.history);
}

/**
 * One `dc:creator` element per author: an array of text nodes, which xml-js
 * writes as repeated elements (`Extension.objects` is typed as a record only).
 */
function bylines(authors: string[]): Record<string, unknown> {
  return authors.map((name) => ({ _text: xmlText(name) })) as unknown as Record<string, unknown>;
}

/** `feed` declares `xmlns:dc` only when some item has content; dc:creator needs it always. */
function ensureDcNamespace(xml: string): string {
  if (!xml.includes("<dc:creator") || xml.includes("xmlns:dc=")) return xml;
  return xml.replace('<rss version="2.0"', `<rss version="2.0" xmlns:dc="${DC_NAMESPACE}"`);
}
