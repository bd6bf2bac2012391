import type { Article } from "../content/types.ts";
import { escapeHtml } from "../text/escape.ts";
import type { Urls } from "../urls.ts";

/** The sitemap protocol's limit for one file. */
const MAX_URLS = 50_000;

/**
 * `/sitemap.xml` (sitemaps.org 0.9): the home page and every published
 * article with its last change, so search engines and portals find the whole
 * archive, not only the newest `FEED_LIMIT` articles the feeds carry.
 * `articles` are newest first; past 50,000 the oldest are left out (a sitemap
 * index would be the next step, far beyond a town's archive).
 */
export function renderSitemap(articles: readonly Article[], urls: Urls): string {
  const entry = (loc: string, lastmod: Date | undefined) =>
    `<url><loc>${escapeHtml(loc)}</loc>${lastmod ? `<lastmod>${lastmod.toISOString()}</lastmod>` : ""}</url>`;
  const newest = articles[0];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    entry(urls.home(), newest ? (newest.updated ?? newest.published) : undefined),
    ...articles
      .slice(0, MAX_URLS - 1)
      .map((a) => entry(urls.article(a.slug), a.updated ?? a.published)),
    "</urlset>",
    "",
  ];
  return lines.join("\n");
}
