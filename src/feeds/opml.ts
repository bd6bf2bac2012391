/**
 * `/feeds.opml` (OPML 2.0, http://opml.org/spec2.opml): every feed of the
 * site, for portals and readers that import a subscription list. One folder
 * outline for the site and one per tag, each holding that feed in RSS, Atom
 * and JSON Feed (`type="rss"` is what OPML calls any feed). Pure, no clock.
 */

import { sortTags, type TagCount } from "../content/tags.ts";
import type { Site } from "../content/types.ts";
import { escapeHtml } from "../text/escape.ts";
import { stripControl } from "../text/plain.ts";
import type { FeedKind, Urls } from "../urls.ts";
import { tagFeedTitle } from "./render.ts";

/** OPML has no registered media type; this is the one readers and portals expect. */
export const OPML_CONTENT_TYPE = "text/x-opml; charset=utf-8";

/** What {@link renderOpml} needs. */
export interface RenderOpmlInput {
  site: Site;
  urls: Urls;
  /** The published articles' tags (see `countTags`); tags with no article are left out. */
  tags: readonly TagCount[];
  /** `<dateCreated>`, when the caller has a stable date for it (e.g. the latest content change). */
  dateCreated?: Date;
}

const FORMATS: { kind: FeedKind; label: string; version?: string }[] = [
  // OPML's `version` names RSS dialects only; Atom and JSON Feed get none.
  { kind: "rss", label: "RSS", version: "RSS2" },
  { kind: "atom", label: "Atom" },
  { kind: "json", label: "JSON Feed" },
];

/** A text for an XML attribute: control characters out, markup characters escaped. */
const attr = (text: string) => escapeHtml(stripControl(text));

function folder(
  title: string,
  htmlUrl: string,
  language: string,
  xmlUrl: (kind: FeedKind) => string,
): string {
  const feeds = FORMATS.map(
    ({ kind, label, version }) =>
      `      <outline type="rss" text="${attr(`${title} (${label})`)}" title="${attr(`${title} (${label})`)}" xmlUrl="${attr(xmlUrl(kind))}" htmlUrl="${attr(htmlUrl)}" language="${attr(language)}"${version ? ` version="${version}"` : ""}/>`,
  );
  return [
    `    <outline text="${attr(title)}" title="${attr(title)}">`,
    ...feeds,
    "    </outline>",
  ].join("\n");
}

/** Renders the OPML document (UTF-8, every text XML-escaped). */
export function renderOpml(input: RenderOpmlInput): string {
  const { site, urls } = input;
  const feedUrls: Record<FeedKind, string> = {
    rss: urls.rss(),
    atom: urls.atom(),
    json: urls.jsonFeed(),
  };
  const tags = sortTags(input.tags.filter((tag) => tag.count > 0 && tag.name.trim() !== ""));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    "  <head>",
    `    <title>${attr(site.title)}</title>`,
    ...(input.dateCreated && !Number.isNaN(input.dateCreated.getTime())
      ? [`    <dateCreated>${input.dateCreated.toUTCString()}</dateCreated>`]
      : []),
    `    <ownerName>${attr(site.actor.name)}</ownerName>`,
    `    <ownerId>${attr(urls.home())}</ownerId>`,
    "    <docs>http://opml.org/spec2.opml</docs>",
    "  </head>",
    "  <body>",
    folder(site.title, urls.home(), site.language, (kind) => feedUrls[kind]),
    ...tags.map((tag) =>
      folder(tagFeedTitle(site.title, tag.name), urls.tag(tag.name), site.language, (kind) =>
        urls.tagFeed(kind, tag.name),
      ),
    ),
    "  </body>",
    "</opml>",
    "",
  ];
  return lines.join("\n");
}
