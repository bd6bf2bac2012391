/**
 * RFC 5005 §4 (archived feeds) markup, added to what `feed` writes: it knows
 * neither the history namespace nor link relations other than self and hub.
 * The links go right after the `self` link `feed` wrote, at its indentation,
 * so the document reads as if `feed` had written them.
 */

import { escapeHtml } from "../text/escape.ts";
import type { FeedHistory } from "./entries.ts";

/** The namespace of `fh:archive`. */
export const FH_NAMESPACE = "http://purl.org/syndication/history/1.0";

const RSS_SELF = /^( *)<atom:link href="[^"]*" rel="self" type="application\/rss\+xml"\/>$/m;
const ATOM_SELF = /^( *)<link rel="self" href="[^"]*"\/>$/m;

/** The history links of one format, in the order RFC 5005's examples give them. */
function links(history: FeedHistory, kind: "rss" | "atom"): { rel: string; href: string }[] {
  const out: { rel: string; href: string }[] = [];
  if (history.current) out.push({ rel: "current", href: history.current[kind] });
  if (history.prevArchive) out.push({ rel: "prev-archive", href: history.prevArchive[kind] });
  if (history.nextArchive) out.push({ rel: "next-archive", href: history.nextArchive[kind] });
  return out;
}

/**
 * Inserts `lines` after the line `anchor` matches. A missing anchor means a
 * `feed` upgrade changed its output: that is a programming error, and failing
 * here beats serving a feed that silently lost its history.
 */
function insertAfter(xml: string, anchor: RegExp, lines: string[]): string {
  const match = anchor.exec(xml);
  if (!match) throw new Error(`feed output has no line matching ${anchor}: cannot add history`);
  const indent = match[1] ?? "";
  const at = match.index + match[0].length;
  const added = lines.map((line) => `\n${indent}${line}`).join("");
  return xml.slice(0, at) + added + xml.slice(at);
}

/** RSS 2.0 (RFC 5005 Appendix B): `atom:link` elements and `fh:archive` in the channel. */
export function addRssHistory(xml: string, history: FeedHistory | undefined): string {
  if (!history) return xml;
  const lines = links(history, "rss").map(
    ({ rel, href }) =>
      `<atom:link href="${escapeHtml(href)}" rel="${rel}" type="application/rss+xml"/>`,
  );
  if (history.archive) lines.push("<fh:archive/>");
  if (lines.length === 0) return xml;
  const out = insertAfter(xml, RSS_SELF, lines);
  return history.archive
    ? out.replace('<rss version="2.0"', `<rss version="2.0" xmlns:fh="${FH_NAMESPACE}"`)
    : out;
}

/** Atom: `link` elements and `fh:archive` in the feed's head. */
export function addAtomHistory(xml: string, history: FeedHistory | undefined): string {
  if (!history) return xml;
  const lines = links(history, "atom").map(
    ({ rel, href }) => `<link rel="${rel}" href="${escapeHtml(href)}"/>`,
  );
  if (history.archive) lines.push("<fh:archive/>");
  if (lines.length === 0) return xml;
  const out = insertAfter(xml, ATOM_SELF, lines);
  return history.archive
    ? out.replace(
        '<feed xmlns="http://www.w3.org/2005/Atom"',
        `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:fh="${FH_NAMESPACE}"`,
      )
    : out;
}
