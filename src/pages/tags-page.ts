/** `/tags`: every tag of the published articles with its article count. */
import { html } from "hono/html";
import { sortTags, type TagCount } from "../content/tags.ts";
import type { Site } from "../content/types.ts";
import type { Urls } from "../urls.ts";
import type { Fragment } from "./format.ts";
import { renderLayout } from "./layout.ts";

/** What {@link renderTagsPage} needs. */
export interface TagsPageInput {
  site: Site;
  urls: Urls;
  /** The published articles' tags (see `countTags`), in any order; tags with no article are left out. */
  tags: readonly TagCount[];
}

const HEADING = "Chủ đề";

/** Renders the list of tags, by name in Vietnamese order, each linking to its page. */
export function renderTagsPage(input: TagsPageInput): string {
  const { site, urls } = input;
  const tags = sortTags(input.tags.filter((tag) => tag.count > 0 && tag.name.trim() !== ""));
  const url = urls.tags();
  return renderLayout({
    site,
    urls,
    lang: site.language,
    title: `${HEADING} – ${site.title}`,
    ogTitle: HEADING,
    description: `Các chủ đề của ${site.title}`,
    url,
    canonical: url,
    ogType: "website",
    activityJson: urls.actor(site.actor.username),
    head: html`<link rel="alternate" type="text/x-opml" title="${site.title} (OPML)" href="${urls.opml()}">\n`,
    body: html`<h1>${HEADING}</h1>
${
  tags.length > 0
    ? html`<ul class="tags">
${tags.map((tag) => tagItem(tag, urls))}</ul>`
    : html`<p>Chưa có chủ đề nào.</p>`
}
<p><a href="${urls.opml()}" type="text/x-opml">Mọi nguồn tin của trang và các chủ đề (OPML)</a></p>`,
  });
}

function tagItem(tag: TagCount, urls: Urls): Fragment {
  return html`<li><a rel="tag" href="${urls.tag(tag.name)}">#${tag.name}</a> <span class="count">${tag.count} bài viết</span></li>
`;
}
