/** `/` and `/?page=N`: the articles, newest first, one page of them. */
import { html } from "hono/html";
import type { Article, Site } from "../content/types.ts";
import { tagFeedTitle } from "../feeds/render.ts";
import { plainExcerpt } from "../text/plain.ts";
import type { Urls } from "../urls.ts";
import { type Fragment, formatDateVi } from "./format.ts";
import { renderLayout } from "./layout.ts";

/** What {@link renderIndexPage} needs. */
export interface IndexPageInput {
  site: Site;
  /** This page's articles, newest first. */
  articles: Article[];
  /** 1-based. */
  page: number;
  totalPages: number;
  urls: Urls;
  /** When set, this is the page of one tag's articles (`/tags/{tag}`). */
  tag?: string;
}

/** Renders one page of the index. */
export function renderIndexPage(input: IndexPageInput): string {
  const { site, urls, page, totalPages, tag } = input;
  const pageUrl = (n: number) => (tag === undefined ? urls.home(n) : urls.tag(tag, n));
  const url = pageUrl(page);
  const home = urls.home();
  const prev = page > 1 ? pageUrl(page - 1) : undefined;
  const next = page < totalPages ? pageUrl(page + 1) : undefined;
  const heading = tag === undefined ? site.title : `#${tag} – ${site.title}`;
  const organization = {
    "@type": "Organization",
    "@id": `${home}#organization`,
    name: site.actor.name,
    url: home,
    description: site.actor.summary,
    ...(site.actor.icon ? { logo: urls.absolute(site.actor.icon) } : {}),
    sameAs: [urls.actor(site.actor.username)],
  };
  return renderLayout({
    site,
    urls,
    lang: site.language,
    title: page > 1 ? `${heading} – Trang ${page}` : heading,
    ogTitle: heading,
    description: site.description,
    url,
    canonical: url,
    ogType: "website",
    image: site.actor.icon
      ? { url: urls.absolute(site.actor.icon), alt: site.actor.name }
      : undefined,
    activityJson: urls.actor(site.actor.username),
    // A tag page announces the tag's own feeds besides the site's.
    feeds:
      tag === undefined
        ? undefined
        : {
            rss: urls.tagFeed("rss", tag),
            atom: urls.tagFeed("atom", tag),
            json: urls.tagFeed("json", tag),
            title: tagFeedTitle(site.title, tag),
          },
    head: html`${prev ? html`<link rel="prev" href="${prev}">\n` : ""}${next ? html`<link rel="next" href="${next}">\n` : ""}`,
    structuredData: {
      "@context": "https://schema.org",
      "@graph": [
        {
          "@type": "WebSite",
          "@id": `${home}#website`,
          name: site.title,
          description: site.description,
          url: home,
          inLanguage: site.language,
          publisher: { "@id": organization["@id"] },
        },
        organization,
      ],
    },
    body: html`<h1>${tag === undefined ? site.title : `#${tag}`}</h1>
<p class="meta">${site.description}</p>
${
  input.articles.length > 0
    ? html`<ul class="list">
${input.articles.map((article) => listItem(article, site, urls))}</ul>`
    : html`<p>Chưa có bài viết nào.</p>`
}
${
  prev || next
    ? html`<nav class="pages" aria-label="Phân trang">${prev ? html`<a rel="prev" href="${prev}">← Tin mới hơn</a>` : html`<span></span>`} <span>Trang ${page}/${totalPages}</span> ${next ? html`<a rel="next" href="${next}">Tin cũ hơn →</a>` : html`<span></span>`}</nav>`
    : ""
}`,
  });
}

function listItem(article: Article, site: Site, urls: Urls): Fragment {
  const summary = article.summary ?? plainExcerpt(article.html);
  return html`<li lang="${article.language}">
<h2><a href="${urls.article(article.slug)}">${article.title}</a></h2>
<p class="meta"><time datetime="${article.published.toISOString()}">${formatDateVi(article.published, site.timezone)}</time>${article.authors.length > 0 ? html` · ${article.authors.join(", ")}` : ""}</p>
${summary ? html`<p>${summary}</p>\n` : ""}</li>
`;
}
