/**
 * Reads what an RFC 5005 client reads from an RSS or Atom document: its
 * entries, whether it is an archive (`fh:archive`) and its links by relation.
 * rss-parser (xml2js, strict) does the parsing, so a malformed document fails.
 */
import Parser from "rss-parser";

interface RawLink {
  $: { rel?: string; href: string; type?: string };
}

interface FeedExtra {
  rssLinks?: RawLink[];
  atomLinks?: RawLink[];
  archive?: unknown;
  /** RSS `lastBuildDate`, Atom `updated` (rss-parser maps both; its types omit it). */
  lastBuildDate?: string;
}

interface ItemExtra {
  id?: string;
}

// rss-parser's types allow only plain names for feed-level fields, but its
// code (utils.copyFromXML) takes [from, to, options] there as for items.
const feedFields = [
  ["atom:link", "rssLinks", { keepArray: true }],
  ["link", "atomLinks", { keepArray: true }],
  ["fh:archive", "archive"],
] as unknown as (keyof FeedExtra)[];

const parser = new Parser<FeedExtra, ItemExtra>({
  customFields: { feed: feedFields, item: ["id"] },
});

/** One parsed RSS or Atom document, as a history walker sees it. */
export interface ParsedHistoryDoc {
  /** `fh:archive` is present. */
  archive: boolean;
  /** The href of each link relation (the first, if one is repeated). */
  links: Map<string, string>;
  /** How many links each relation has (RFC 5005 wants at most one of each). */
  linkCounts: Map<string, number>;
  /** Each item's guid (RSS) or id (Atom): our article URLs. */
  ids: string[];
  title: string;
  lastBuildDate: string;
}

/** Parses a feed document and pulls out its history. */
export async function parseHistoryDoc(xml: string): Promise<ParsedHistoryDoc> {
  const feed = await parser.parseString(xml);
  const links = new Map<string, string>();
  const linkCounts = new Map<string, number>();
  // In RSS the channel's <link> is text, in Atom the links are elements.
  const raw = [...(feed.rssLinks ?? []), ...(feed.atomLinks ?? [])];
  for (const link of raw) {
    if (!link?.$) continue;
    const rel = link.$.rel ?? "alternate";
    if (!links.has(rel)) links.set(rel, link.$.href);
    linkCounts.set(rel, (linkCounts.get(rel) ?? 0) + 1);
  }
  return {
    archive: feed.archive !== undefined,
    links,
    linkCounts,
    ids: feed.items.map((item) => item.guid ?? item.id ?? ""),
    title: feed.title ?? "",
    lastBuildDate: feed.lastBuildDate ?? "",
  };
}
