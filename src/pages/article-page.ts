/** `/articles/{slug}`: one article, with what link previews and search engines read. */
import { html, raw } from "hono/html";
import type { Article, Site } from "../content/types.ts";
import { ARTICLE_SIZES as PICTURE_SIZES } from "../media/picture.ts";
import { plainExcerpt } from "../text/plain.ts";
import type { Urls } from "../urls.ts";
import { type Fragment, formatDateVi } from "./format.ts";
import { renderLayout } from "./layout.ts";

/** What {@link renderArticlePage} needs. */
export interface ArticlePageInput {
  site: Site;
  article: Article;
  urls: Urls;
  /** What the fediverse said about it (`renderConversation`), shown after the body. */
  conversation?: Fragment;
}

/** Renders an article's page. */
export function renderArticlePage({ site, article, urls, conversation }: ArticlePageInput): string {
  const url = urls.article(article.slug);
  const home = urls.home();
  const description = article.summary ?? plainExcerpt(article.html);
  const modified = article.updated ?? article.published;
  const image = article.image
    ? {
        url: urls.absolute(article.image.url),
        alt: article.image.alt,
        srcset: article.image.srcset,
        width: article.image.width,
        height: article.image.height,
      }
    : undefined;
  const icon = site.actor.icon ? urls.absolute(site.actor.icon) : undefined;
  const publisher = {
    "@type": "Organization",
    name: site.actor.name,
    url: home,
    ...(icon ? { logo: { "@type": "ImageObject", url: icon } } : {}),
  };
  const zone = site.timezone;
  // The site's header, footer and labels stay in the site's language; only
  // the article is marked with its own (screen readers and translators read
  // each part in its language).
  const ownLang = article.language !== site.language ? article.language : undefined;
  return renderLayout({
    site,
    urls,
    lang: site.language,
    ...(ownLang ? { contentLang: ownLang } : {}),
    title: `${article.title} – ${site.title}`,
    ogTitle: article.title,
    description,
    url,
    canonical: url,
    ogType: "article",
    image: image ?? (icon ? { url: icon, alt: site.actor.name } : undefined),
    // The same URL serves the Note to ActivityPub clients.
    activityJson: url,
    head: html`<meta property="article:published_time" content="${article.published.toISOString()}">
<meta property="article:modified_time" content="${modified.toISOString()}">
${article.tags.map((tag) => html`<meta property="article:tag" content="${tag}">\n`)}`,
    structuredData: {
      "@context": "https://schema.org",
      "@type": "NewsArticle",
      headline: article.title,
      description,
      url,
      mainEntityOfPage: { "@type": "WebPage", "@id": url },
      datePublished: article.published.toISOString(),
      dateModified: modified.toISOString(),
      inLanguage: article.language,
      // No byline: the town hall itself is the author.
      author:
        article.authors.length > 0
          ? article.authors.map((name) => ({ "@type": "Person", name }))
          : [publisher],
      publisher,
      ...(image ? { image: [image.url] } : {}),
      ...(article.tags.length > 0 ? { keywords: article.tags } : {}),
    },
    body: html`<article${ownLang ? html` lang="${ownLang}"` : ""}>
<h1>${article.title}</h1>
<p class="meta"><time datetime="${article.published.toISOString()}">${formatDateVi(article.published, zone)}</time>${
      article.authors.length > 0
        ? html` · Tác giả: <span class="author">${article.authors.join(", ")}</span>`
        : ""
    }${
      article.updated
        ? html` · Cập nhật: <time datetime="${article.updated.toISOString()}">${formatDateVi(article.updated, zone)}</time>`
        : ""
    }</p>
${article.summary ? html`<p class="lead">${article.summary}</p>\n` : ""}${
  image
    ? html`<figure><img src="${image.url}"${image.srcset ? html` srcset="${image.srcset}" sizes="${PICTURE_SIZES}"` : ""}${image.width && image.height ? html` width="${image.width}" height="${image.height}"` : ""} alt="${image.alt}">${image.alt ? html`<figcaption>${image.alt}</figcaption>` : ""}</figure>\n`
    : ""
}<div class="content">
${raw(article.html)}</div>
${
  article.tags.length > 0
    ? html`<ul class="tags" aria-label="Từ khóa">${article.tags.map((tag) => html`<li><a rel="tag" href="${urls.tag(tag)}">#${tag}</a></li>`)}</ul>\n`
    : ""
}${conversation ? html`${conversation}\n` : ""}<p><a href="${home}">← Về trang chủ</a></p>
</article>`,
  });
}
