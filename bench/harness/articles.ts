import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Generated content for the bench: a `site.yml` and `count` articles of a
 * realistic size (Vietnamese text, ~2.5 kB of Markdown each, tags, a summary),
 * dated `spacingHours` apart (one hour by default) going back from `newest`.
 * Deterministic for a given count, date and spacing, so two runs serve the
 * same bytes.
 */
export interface GeneratedContent {
  dir: string;
  /** Slugs, newest first. */
  slugs: string[];
  /** The Atom archive document (RFC 5005, one month) holding article `n` (0 = newest). */
  archiveOf(n: number): string;
}

/** The site's time zone (site.yml below): the archives' months are its months. */
const TIMEZONE = "Asia/Ho_Chi_Minh";

/** `/archives/{yyyy}/{mm}/atom.xml` of the month `published` falls in, in the site's time zone. */
export function archivePathOf(published: Date): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: TIMEZONE,
    year: "numeric",
    month: "2-digit",
  }).formatToParts(published);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `/archives/${part("year")}/${part("month")}/atom.xml`;
}

const SITE_YML = `title: Cổng thông tin Thị xã Cửa Lò (bench)
description: Tin tức, sự kiện và thông báo của Ủy ban nhân dân Thị xã Cửa Lò.
language: vi
timezone: Asia/Ho_Chi_Minh
actor:
  username: cualo
  name: Thị xã Cửa Lò
  summary: Tin tức chính thức của Ủy ban nhân dân Thị xã Cửa Lò, tỉnh Nghệ An.
links:
  - name: Cổng thông tin điện tử tỉnh Nghệ An
    url: https://www.nghean.gov.vn/
`;

const PARAGRAPHS = [
  "Chiều ngày {n}, Ủy ban nhân dân Thị xã Cửa Lò đã tổ chức hội nghị triển khai nhiệm vụ trọng tâm, với sự tham dự của lãnh đạo các phòng, ban, ngành và các phường trên địa bàn.",
  "Trong thời gian qua, công tác **cải cách hành chính** được triển khai đồng bộ, góp phần nâng cao chất lượng phục vụ người dân và doanh nghiệp; tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%.",
  "Mùa du lịch biển năm nay, Thị xã dự kiến đón hơn 3,5 triệu lượt khách. Các cơ sở lưu trú, nhà hàng được yêu cầu niêm yết giá công khai và bảo đảm an toàn vệ sinh thực phẩm.",
  "Phát biểu chỉ đạo, đồng chí Chủ tịch UBND Thị xã đề nghị các đơn vị tiếp tục rà soát, đơn giản hóa thủ tục hành chính, đẩy mạnh dịch vụ công trực tuyến _mức độ toàn trình_.",
  "Người dân có thể theo dõi thông tin chi tiết tại [Cổng thông tin điện tử tỉnh](https://www.nghean.gov.vn/) hoặc liên hệ bộ phận một cửa của phường nơi cư trú.",
];

const TAGS = ["Cửa Lò", "Du lịch", "Cải cách hành chính", "Kinh tế", "Văn hóa", "Giáo dục"];

/** One tag's Atom feed: a third of the articles carry "Du lịch" (n % 6 is 1 or 5). */
export const TAG_FEED_PATH = `/tags/${encodeURIComponent("Du lịch")}/atom.xml`;

/** The same tag's HTML page. */
export const TAG_PAGE_PATH = `/tags/${encodeURIComponent("Du lịch")}`;

/** What article number `n` says, as fields (the newsroom bench stores these). */
export interface ArticleParts {
  title: string;
  summary: string;
  author: string;
  tags: string[];
  /** Markdown. */
  body: string;
}

export function articleParts(n: number, title?: string): ArticleParts {
  const body = Array.from({ length: 6 }, (_, i) =>
    (PARAGRAPHS[(n + i) % PARAGRAPHS.length] as string).replace("{n}", String((n % 28) + 1)),
  ).join("\n\n");
  return {
    title: (title ?? `Bản tin số ${n + 1}: hoạt động của Thị xã Cửa Lò`).normalize("NFC"),
    summary: `Tóm tắt bản tin số ${n + 1} của Ủy ban nhân dân Thị xã Cửa Lò.`.normalize("NFC"),
    author: "Phòng Văn hóa – Thông tin".normalize("NFC"),
    tags: [TAGS[n % TAGS.length] as string, TAGS[(n + 2) % TAGS.length] as string].map((t) =>
      t.normalize("NFC"),
    ),
    body: body.normalize("NFC"),
  };
}

/** Markdown with front matter for article number `n` (0 = newest). */
export function articleMarkdown(n: number, published: Date, title?: string): string {
  const p = articleParts(n, title);
  return `---
title: "${p.title}"
published: ${published.toISOString()}
author: "${p.author}"
summary: "${p.summary}"
tags:
${p.tags.map((t) => `  - "${t}"`).join("\n")}
---

${p.body}
`.normalize("NFC");
}

export function slugOf(n: number): string {
  return `ban-tin-${String(n + 1).padStart(5, "0")}`;
}

/** Writes `site.yml` and `count` articles under `dir` (created). */
export async function generateContent(
  dir: string,
  count: number,
  newest: Date = new Date(Date.UTC(2026, 0, 1)),
  spacingHours = 1,
): Promise<GeneratedContent> {
  const publishedOf = (n: number) => new Date(newest.getTime() - n * spacingHours * 3_600_000);
  const articles = join(dir, "articles");
  await mkdir(articles, { recursive: true });
  await writeFile(join(dir, "site.yml"), SITE_YML);
  const slugs: string[] = [];
  // Written in batches: 10,000 files at once would only queue in libuv anyway.
  const batch = 200;
  for (let start = 0; start < count; start += batch) {
    const writes: Promise<void>[] = [];
    for (let n = start; n < Math.min(count, start + batch); n++) {
      const published = publishedOf(n);
      slugs.push(slugOf(n));
      writes.push(writeFile(join(articles, `${slugOf(n)}.md`), articleMarkdown(n, published)));
    }
    await Promise.all(writes);
  }
  return { dir, slugs, archiveOf: (n) => archivePathOf(publishedOf(n)) };
}
