/** 404, 410 and 500 pages: the site's frame, a message, no internals. */
import { html } from "hono/html";
import type { Site } from "../content/types.ts";
import type { Urls } from "../urls.ts";
import { renderLayout } from "./layout.ts";

/** What the error pages need. */
export interface ErrorPageInput {
  site: Site;
  urls: Urls;
  /** Plain text shown to the reader; defaults to a generic Vietnamese message. */
  message?: string;
}

/** The 404 page. */
export function renderNotFoundPage({ site, urls, message }: ErrorPageInput): string {
  return errorPage(
    site,
    urls,
    "Không tìm thấy trang",
    message ?? "Trang bạn tìm không tồn tại hoặc đã bị gỡ bỏ.",
  );
}

/** The 410 page of a removed article: it was there, and is no longer. */
export function renderGonePage({ site, urls, message }: ErrorPageInput): string {
  return errorPage(
    site,
    urls,
    "Bài viết đã được gỡ",
    message ?? "Bài viết này đã được gỡ khỏi trang và không còn được đăng.",
  );
}

/** The 500 page: never shows a stack trace or error detail unless given one as `message`. */
export function renderErrorPage({ site, urls, message }: ErrorPageInput): string {
  return errorPage(
    site,
    urls,
    "Đã có lỗi xảy ra",
    message ?? "Máy chủ gặp sự cố. Xin vui lòng thử lại sau ít phút.",
  );
}

function errorPage(site: Site, urls: Urls, heading: string, message: string): string {
  return renderLayout({
    site,
    urls,
    lang: site.language,
    title: `${heading} – ${site.title}`,
    ogTitle: heading,
    description: message,
    // There is no URL of its own to declare canonical; og:url points home.
    url: urls.home(),
    ogType: "website",
    activityJson: urls.actor(site.actor.username),
    noindex: true,
    body: html`<h1>${heading}</h1>
<p>${message}</p>
<p><a href="${urls.home()}">← Về trang chủ</a></p>`,
  });
}
