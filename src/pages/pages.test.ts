import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  festivalArticle,
  fixtureArticles,
  fixtureSite,
  hostileArticle,
  noticeArticle,
  seedArticle,
} from "../../tests/fixtures/articles.ts";
import { createUrls } from "../urls.ts";
import { renderArticlePage } from "./article-page.ts";
import { renderErrorPage, renderGonePage, renderNotFoundPage } from "./error-pages.ts";
import { renderIndexPage } from "./index-page.ts";
import { PAGE_CSP } from "./style.ts";

const urls = createUrls(new URL("https://cualo.example"));
const site = fixtureSite;

const indexPage = (page = 1, totalPages = 1) =>
  renderIndexPage({ site, articles: fixtureArticles, page, totalPages, urls });
const articlePage = (article = seedArticle) => renderArticlePage({ site, article, urls });

/** The content of `<meta property|name="key">`, as a parser would decode it. */
function meta(page: string, key: string): string[] {
  const re = new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)">`, "g");
  return [...page.matchAll(re)].map((m) => decode(m[1] ?? ""));
}

function decode(text: string): string {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

function jsonLdOf(page: string): Record<string, unknown> {
  const m = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(page);
  if (!m?.[1]) throw new Error("no JSON-LD block");
  return JSON.parse(m[1]);
}

const allPages = () => ({
  index: indexPage(),
  article: articlePage(),
  notFound: renderNotFoundPage({ site, urls }),
  error: renderErrorPage({ site, urls }),
});

describe("every page", () => {
  it.each(Object.entries(allPages()))(
    "%s has the head a reader, a feed reader and the fediverse need",
    (_name, page) => {
      expect(page.startsWith('<!doctype html>\n<html lang="vi">')).toBe(true);
      expect(page).toContain('<meta charset="utf-8">');
      expect(page).toContain(
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
      );
      expect(page).toMatch(/<title>[^<]+<\/title>/);
      expect(meta(page, "description")[0]).toBeTruthy();
      expect(page).toContain(
        '<link rel="alternate" type="application/rss+xml" title="Cổng thông tin điện tử thị xã Cửa Lò (RSS)" href="https://cualo.example/rss.xml">',
      );
      expect(page).toContain(
        '<link rel="alternate" type="application/atom+xml" title="Cổng thông tin điện tử thị xã Cửa Lò (Atom)" href="https://cualo.example/atom.xml">',
      );
      expect(page).toContain(
        '<link rel="alternate" type="application/feed+json" title="Cổng thông tin điện tử thị xã Cửa Lò (JSON Feed)" href="https://cualo.example/feed.json">',
      );
      for (const key of ["og:title", "og:url", "og:description", "og:type", "og:site_name"]) {
        expect(meta(page, key)).toHaveLength(1);
      }
      expect(meta(page, "og:locale")).toEqual(["vi_VN"]);
      expect(meta(page, "fediverse:creator")).toEqual(["@cualo@cualo.example"]);
      expect(page).toContain(
        '<a rel="me" href="https://cualo.example/users/cualo">@cualo@cualo.example</a>',
      );
      expect(page).toMatch(
        /<link rel="alternate" type="application\/activity\+json" href="https:\/\/cualo\.example\/[^"]+">/,
      );
      // Nothing to run: no inline or external scripts besides the JSON-LD data block.
      expect(page.match(/<script(?![^>]*type="application\/ld\+json")/g)).toBeNull();
      expect(page).not.toMatch(/ on[a-z]+=/);
      expect(page).not.toMatch(/ style=/);
    },
  );

  it("keeps to a strict CSP: the one <style> element is the one allowed by hash", () => {
    expect(PAGE_CSP).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*';/);
    for (const page of Object.values(allPages())) {
      expect(page.match(/<style>/g)).toHaveLength(1);
      const css = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? "";
      const hash = createHash("sha256").update(css, "utf8").digest("base64");
      expect(PAGE_CSP).toContain(`style-src 'sha256-${hash}'`);
    }
  });
});

describe("index page", () => {
  it("lists articles newest first with links, dates in Cửa Lò time and bylines", () => {
    const page = indexPage();
    const links = [...page.matchAll(/<h2><a href="([^"]+)">([^<]+)<\/a><\/h2>/g)];
    expect(links.map((m) => m[1])).toEqual(fixtureArticles.map((a) => urls.article(a.slug)));
    expect(links[0]?.[2]).toBe(seedArticle.title);
    expect(page).toContain(
      '<time datetime="2021-03-18T08:00:00.000Z">Thứ Năm, 18/03/2021 15:00</time> · Dương Tân – Duy Quý',
    );
    expect(page).toContain("Nguyễn Văn An, Trần Thị Bình");
    expect(page).toContain('<link rel="canonical" href="https://cualo.example/">');
    expect(meta(page, "og:type")).toEqual(["website"]);
    expect(meta(page, "og:image")).toEqual(["https://cualo.example/media/logo.png"]);
    expect(page).toContain(
      '<link rel="alternate" type="application/activity+json" href="https://cualo.example/users/cualo">',
    );
  });

  it("describes the site and its organization in JSON-LD", () => {
    const graph = jsonLdOf(indexPage())["@graph"] as Record<string, unknown>[];
    expect(graph.map((node) => node["@type"])).toEqual(["WebSite", "Organization"]);
    expect(graph[0]).toMatchObject({
      name: site.title,
      url: "https://cualo.example/",
      inLanguage: "vi",
    });
    expect(graph[1]).toMatchObject({
      name: "Thị xã Cửa Lò",
      logo: "https://cualo.example/media/logo.png",
    });
  });

  it("links the previous and next pages", () => {
    const middle = indexPage(2, 3);
    expect(middle).toContain('<link rel="canonical" href="https://cualo.example/?page=2">');
    expect(middle).toContain('<a rel="prev" href="https://cualo.example/">');
    expect(middle).toContain('<a rel="next" href="https://cualo.example/?page=3">');
    expect(middle).toContain("<title>Cổng thông tin điện tử thị xã Cửa Lò – Trang 2</title>");
    const first = indexPage(1, 3);
    expect(first).not.toContain('rel="prev"');
    expect(first).toContain('<a rel="next" href="https://cualo.example/?page=2">');
    const only = indexPage(1, 1);
    expect(only).not.toMatch(/rel="(prev|next)"/);
  });

  it("says so when there are no articles", () => {
    const page = renderIndexPage({ site, articles: [], page: 1, totalPages: 1, urls });
    expect(page).toContain("<p>Chưa có bài viết nào.</p>");
  });
});

describe("article page", () => {
  it("has the article's title, date, byline, image, tags and body", () => {
    const page = articlePage();
    expect(page).toContain(`<title>${seedArticle.title} – ${site.title}</title>`);
    expect(page).toContain(`<h1>${seedArticle.title}</h1>`);
    expect(page).toContain(
      '<time datetime="2021-03-18T08:00:00.000Z">Thứ Năm, 18/03/2021 15:00</time>',
    );
    expect(page).toContain('Tác giả: <span class="author">Dương Tân – Duy Quý</span>');
    expect(page).toContain(
      '<img src="https://cualo.example/media/images/hoi-nghi.jpg" alt="Quang cảnh điểm cầu thị xã Cửa Lò">',
    );
    expect(page).toContain(
      `<li><a rel="tag" href="${urls.tag("Cải cách hành chính")}">#Cải cách hành chính</a></li>`,
    );
    expect(urls.tag("Hội nghị")).toBe("https://cualo.example/tags/H%E1%BB%99i%20ngh%E1%BB%8B");
    expect(page).toContain(seedArticle.html);
    expect(page).toContain(
      '<link rel="canonical" href="https://cualo.example/articles/cai-cach-hanh-chinh">',
    );
    expect(page).toContain(
      '<link rel="alternate" type="application/activity+json" href="https://cualo.example/articles/cai-cach-hanh-chinh">',
    );
  });

  it("has OpenGraph article tags", () => {
    const page = articlePage(festivalArticle);
    expect(meta(page, "og:type")).toEqual(["article"]);
    expect(meta(page, "og:title")).toEqual([festivalArticle.title]);
    expect(meta(page, "og:url")).toEqual(["https://cualo.example/articles/le-hoi-song-nuoc"]);
    expect(meta(page, "og:description")).toEqual([festivalArticle.summary]);
    expect(meta(page, "article:published_time")).toEqual(["2021-03-10T01:30:00.000Z"]);
    expect(meta(page, "article:modified_time")).toEqual(["2021-03-12T03:00:00.000Z"]);
    expect(meta(page, "article:tag")).toEqual(["Du lịch"]);
    expect(meta(articlePage(seedArticle), "og:image")).toEqual([
      "https://cualo.example/media/images/hoi-nghi.jpg",
    ]);
    expect(page).toContain(
      'Cập nhật: <time datetime="2021-03-12T03:00:00.000Z">Thứ Sáu, 12/03/2021 10:00</time>',
    );
  });

  it("describes the article as a NewsArticle in JSON-LD", () => {
    expect(jsonLdOf(articlePage(festivalArticle))).toEqual({
      "@context": "https://schema.org",
      "@type": "NewsArticle",
      headline: festivalArticle.title,
      description: festivalArticle.summary,
      url: "https://cualo.example/articles/le-hoi-song-nuoc",
      mainEntityOfPage: {
        "@type": "WebPage",
        "@id": "https://cualo.example/articles/le-hoi-song-nuoc",
      },
      datePublished: "2021-03-10T01:30:00.000Z",
      dateModified: "2021-03-12T03:00:00.000Z",
      inLanguage: "vi",
      author: [
        { "@type": "Person", name: "Nguyễn Văn An" },
        { "@type": "Person", name: "Trần Thị Bình" },
      ],
      publisher: {
        "@type": "Organization",
        name: "Thị xã Cửa Lò",
        url: "https://cualo.example/",
        logo: { "@type": "ImageObject", url: "https://cualo.example/media/logo.png" },
      },
      keywords: ["Du lịch"],
    });
    expect(jsonLdOf(articlePage(seedArticle)).image).toEqual([
      "https://cualo.example/media/images/hoi-nghi.jpg",
    ]);
    // No byline: the town hall is the author.
    expect(jsonLdOf(articlePage(noticeArticle)).author).toEqual([
      expect.objectContaining({ "@type": "Organization", name: "Thị xã Cửa Lò" }),
    ]);
  });

  it("marks the article with its own language, the site's frame with the site's", () => {
    const page = articlePage({ ...seedArticle, language: "en" });
    expect(page).toContain('<html lang="vi">');
    expect(page).toContain('<article lang="en">');
    expect(meta(page, "og:locale")).toEqual(["en_US"]);
    expect(articlePage(seedArticle)).toContain("<article>");
  });

  it("shows dates in the site's time zone", () => {
    const late = { ...noticeArticle, published: new Date("2021-03-18T20:30:00Z") };
    expect(articlePage(late)).toContain(">Thứ Sáu, 19/03/2021 03:30</time>");
  });
});

describe("hostile text", () => {
  const page = articlePage(hostileArticle);
  const title = hostileArticle.title.replace("\u0007", "");

  it("is escaped in the title, headings, meta and OpenGraph", () => {
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain("<img src=x");
    expect(page).not.toContain("<b>xấu");
    expect(page).toContain(
      "<title>&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; &quot;  ]]&gt; Tin khẩn – ",
    );
    expect(page).toContain(
      "<h1>&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; &quot;  ]]&gt; Tin khẩn</h1>",
    );
    expect(meta(page, "og:title")).toEqual([title]);
    expect(meta(page, "article:tag")).toEqual(["C&D <x>", "An ninh"]);
    expect(page).not.toContain("\u0007");
  });

  it("cannot close the JSON-LD script block, and round-trips through it", () => {
    const block = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? "";
    expect(block).not.toMatch(/[<>&]/);
    expect(block).toContain("\\u003c/script\\u003e");
    expect(jsonLdOf(page).headline).toBe(title);
  });

  it("in site links cannot become javascript: URLs", () => {
    const evil = { ...site, links: [{ name: "x", url: "javascript:alert(1)" }] };
    const index = renderIndexPage({ site: evil, articles: [], page: 1, totalPages: 1, urls });
    expect(index).not.toContain("javascript:");
    expect(index).toContain("<li>x</li>");
  });
});

describe("error pages", () => {
  it("404 says what happened, links home and is not indexed", () => {
    const page = renderNotFoundPage({ site, urls });
    expect(page).toContain("<h1>Không tìm thấy trang</h1>");
    expect(page).toContain('<meta name="robots" content="noindex">');
    expect(page).toContain('<a href="https://cualo.example/">← Về trang chủ</a>');
    expect(renderNotFoundPage({ site, urls, message: "Bài <x> đã gỡ" })).toContain(
      "<p>Bài &lt;x&gt; đã gỡ</p>",
    );
  });

  it("410 says the article was removed, not that the page was never found", () => {
    const page = renderGonePage({ site, urls });
    expect(page).toContain("<h1>Bài viết đã được gỡ</h1>");
    expect(page).not.toContain("Không tìm thấy");
    expect(page).toContain('<meta name="robots" content="noindex">');
  });

  it("500 shows a generic message only", () => {
    const page = renderErrorPage({ site, urls });
    expect(page).toContain("<h1>Đã có lỗi xảy ra</h1>");
    expect(page).not.toMatch(/Error|at .*\.ts/);
  });
});
