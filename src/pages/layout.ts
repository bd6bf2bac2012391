/**
 * The document around every page: head (meta, OpenGraph, feed and fediverse
 * discovery, JSON-LD), the site header with the actor link, and the footer.
 */
import { html, raw } from "hono/html";
import type { Site, SiteLink } from "../content/types.ts";
import type { Urls } from "../urls.ts";
import { type Fragment, jsonLd, ogLocale, safeHref, toHtmlString } from "./format.ts";
import { PAGE_CSS } from "./style.ts";

/** One feed in each format, with the title readers show for it. */
export interface PageFeeds {
  rss: string;
  atom: string;
  json: string;
  title: string;
}

/** What a page hands the layout. Text values are plain text (escaped here). */
export interface LayoutInput {
  site: Site;
  urls: Urls;
  /** BCP 47 language of the page (the site's frame around the content), for `<html lang>`. */
  lang: string;
  /**
   * The language of the page's own content, for `og:locale`, when it is not
   * `lang` (an article in another language; the caller marks its element).
   */
  contentLang?: string;
  /** The whole `<title>`. */
  title: string;
  /** `og:title`, usually the title without the site's name. */
  ogTitle: string;
  description: string;
  /** The page's own URL (`og:url`). */
  url: string;
  /** `<link rel="canonical">`; left out on error pages. */
  canonical?: string;
  ogType: "website" | "article";
  /** Absolute image URL for `og:image`, with alt text. */
  image?: { url: string; alt: string };
  /** Where the same thing is served as ActivityStreams. */
  activityJson: string;
  /**
   * The page's own feeds (a tag page's), announced for autodiscovery after
   * the site's; `title` is the feeds' title, e.g. "<site> — <tag>".
   */
  feeds?: PageFeeds;
  /** Extra head elements (article times, tags, prev/next). */
  head?: Fragment;
  /** Structured data for a JSON-LD block. */
  structuredData?: unknown;
  /** Asks search engines not to index (error pages). */
  noindex?: boolean;
  body: Fragment;
}

/** Renders a complete HTML document. */
export function renderLayout(input: LayoutInput): string {
  const { site, urls } = input;
  const handle = urls.handle(site.actor.username);
  const actorUrl = urls.actor(site.actor.username);
  const page = html`<!doctype html>
<html lang="${input.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title}</title>
<meta name="description" content="${input.description}">
${input.noindex ? html`<meta name="robots" content="noindex">\n` : ""}${input.canonical ? html`<link rel="canonical" href="${input.canonical}">\n` : ""}<link rel="alternate" type="application/rss+xml" title="${site.title} (RSS)" href="${urls.rss()}">
<link rel="alternate" type="application/atom+xml" title="${site.title} (Atom)" href="${urls.atom()}">
<link rel="alternate" type="application/feed+json" title="${site.title} (JSON Feed)" href="${urls.jsonFeed()}">
${input.feeds ? feedLinks(input.feeds) : ""}<link rel="alternate" type="application/activity+json" href="${input.activityJson}">
<link rel="me" href="${actorUrl}">
<meta name="fediverse:creator" content="${handle}">
<meta property="og:site_name" content="${site.title}">
<meta property="og:type" content="${input.ogType}">
<meta property="og:title" content="${input.ogTitle}">
<meta property="og:description" content="${input.description}">
<meta property="og:url" content="${input.url}">
<meta property="og:locale" content="${ogLocale(input.contentLang ?? input.lang)}">
${input.image ? html`<meta property="og:image" content="${input.image.url}">\n<meta property="og:image:alt" content="${input.image.alt}">\n` : ""}${input.head ?? ""}${input.structuredData === undefined ? "" : html`<script type="application/ld+json">${jsonLd(input.structuredData)}</script>\n`}<style>${raw(PAGE_CSS)}</style>
</head>
<body>
<header class="site"><div class="wrap">
<a class="name" href="${urls.home()}">${site.title}</a>
<p>Theo dõi trên Fediverse: <a rel="me" href="${actorUrl}">${handle}</a></p>
</div></header>
<main class="wrap">
${input.body}
</main>
<footer class="site"><div class="wrap">
<ul>
<li><a href="${urls.rss()}" type="application/rss+xml">RSS</a></li>
<li><a href="${urls.atom()}" type="application/atom+xml">Atom</a></li>
<li><a href="${urls.jsonFeed()}" type="application/feed+json">JSON Feed</a></li>
<li><a rel="me" href="${actorUrl}">${handle}</a></li>
</ul>
${site.links.length > 0 ? html`<ul>${site.links.map(siteLink)}</ul>\n` : ""}<p>${site.actor.name}</p>
</div></footer>
</body>
</html>
`;
  return toHtmlString(page);
}

function feedLinks(feeds: PageFeeds): Fragment {
  return html`<link rel="alternate" type="application/rss+xml" title="${feeds.title} (RSS)" href="${feeds.rss}">
<link rel="alternate" type="application/atom+xml" title="${feeds.title} (Atom)" href="${feeds.atom}">
<link rel="alternate" type="application/feed+json" title="${feeds.title} (JSON Feed)" href="${feeds.json}">
`;
}

function siteLink(link: SiteLink): Fragment {
  const href = safeHref(link.url);
  return href ? html`<li><a href="${href}">${link.name}</a></li>` : html`<li>${link.name}</li>`;
}
