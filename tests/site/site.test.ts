/**
 * The site as a feed reader, a browser and a portal see it: the real server
 * (`src/main.ts`) in its own process on loopback, read over HTTP and parsed by
 * a real feed parser from npm.
 */
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Parser from "rss-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../federation/e2e.ts";
import { startServer, type TestServer } from "../helpers/server.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const SEED = join(ROOT, "tests/fixtures/content/seed/cua-lo-cchc-2021-03-18.txt");
const SLUG = "cua-lo-cchc-2021-03-18";

let server: TestServer;
let contentDir: string;
let base: string;
let seedTitle: string;
const parser = new Parser<Record<string, unknown>, { creator?: string; author?: string }>({
  customFields: { item: [["dc:creator", "creator"], "author"] },
});

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "loa-site-"));
  contentDir = join(base, "content");
  await cp(join(ROOT, "content"), contentDir, { recursive: true });
  seedTitle = (await readFile(SEED, "utf8")).split("\n")[0] ?? "";
  server = await startServer({ contentDir });
});

afterAll(async () => {
  await server?.cleanup();
  await rm(base, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.origin}${path}`, { headers });

function article(slug: string, title: string, extra: string[] = [], body = "Nội dung.") {
  return writeFile(
    join(contentDir, "articles", `${slug}.md`),
    [
      "---",
      `title: "${title}"`,
      `published: ${new Date().toISOString()}`,
      ...extra,
      "---",
      "",
      body,
      "",
    ].join("\n"),
  );
}

describe("feeds read by a real feed parser", () => {
  it("RSS 2.0 carries the seed article exactly as written", async () => {
    const res = await get("/rss.xml");
    expect(res.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
    const feed = await parser.parseString(await res.text());
    expect(feed.title).toBe("Cổng thông tin Thị xã Cửa Lò");
    const item = feed.items.find((i) => i.link === `${server.origin}/articles/${SLUG}`);
    expect(item?.title).toBe(seedTitle);
    expect(Buffer.from(item?.title ?? "")).toEqual(Buffer.from(seedTitle.normalize("NFC")));
    expect(item?.creator).toBe("Dương Tân – Duy Quý");
    expect(new Date(item?.isoDate ?? "").toISOString()).toBe("2021-03-18T08:00:00.000Z");
    expect(item?.categories).toContain("Cải cách hành chính");
    // The link a reader follows opens the page.
    const page = await fetch(item?.link ?? "");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(seedTitle);
  });

  it("Atom 1.0 carries the same article with its author", async () => {
    const res = await get("/atom.xml");
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const feed = await parser.parseString(await res.text());
    const item = feed.items.find((i) => i.link === `${server.origin}/articles/${SLUG}`);
    expect(item?.title).toBe(seedTitle);
    expect(item?.author).toBe("Dương Tân – Duy Quý");
    expect(new Date(item?.isoDate ?? "").toISOString()).toBe("2021-03-18T08:00:00.000Z");
  });

  it("JSON Feed 1.1 has the fields the spec requires", async () => {
    const res = await get("/feed.json");
    expect(res.headers.get("content-type")).toBe("application/feed+json; charset=utf-8");
    const feed = (await res.json()) as Record<string, unknown> & {
      items: Record<string, unknown>[];
    };
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.title).toBe("Cổng thông tin Thị xã Cửa Lò");
    expect(feed.feed_url).toBe(`${server.origin}/feed.json`);
    expect(feed.language).toBe("vi");
    const item = feed.items.find((i) => i.id === `${server.origin}/articles/${SLUG}`);
    expect(item?.title).toBe(seedTitle);
    expect(item?.url).toBe(`${server.origin}/articles/${SLUG}`);
    expect(typeof item?.content_html).toBe("string");
    expect(item?.authors).toEqual([{ name: "Dương Tân – Duy Quý" }]);
  });
});

describe("conditional requests", () => {
  for (const path of ["/", `/articles/${SLUG}`, "/rss.xml", "/atom.xml", "/feed.json"]) {
    it(`${path} answers 304 to If-None-Match and If-Modified-Since`, async () => {
      const first = await get(path);
      expect(first.status).toBe(200);
      const etag = first.headers.get("etag");
      const lastModified = first.headers.get("last-modified");
      expect(etag).toBeTruthy();
      expect(lastModified).toBeTruthy();
      const again = await get(path);
      expect(again.headers.get("etag")).toBe(etag);
      const byTag = await get(path, { "If-None-Match": etag ?? "" });
      expect(byTag.status).toBe(304);
      expect(await byTag.text()).toBe("");
      const byDate = await get(path, { "If-Modified-Since": lastModified ?? "" });
      expect(byDate.status).toBe(304);
    });
  }
});

describe("pages", () => {
  it("the index has lang, feed autodiscovery, OpenGraph and the fediverse actor", async () => {
    const html = await (await get("/")).text();
    expect(html).toContain('<html lang="vi">');
    for (const [type, path] of [
      ["application/rss+xml", "/rss.xml"],
      ["application/atom+xml", "/atom.xml"],
      ["application/feed+json", "/feed.json"],
    ] as const) {
      const link = new RegExp(
        `<link rel="alternate" type="${type.replace("+", "\\+")}"[^>]*href="${server.origin}${path}"`,
      );
      expect(html).toMatch(link);
    }
    for (const tag of ["og:title", "og:url", "og:description", "og:type"]) {
      expect(html).toContain(`property="${tag}"`);
    }
    expect(html).toContain(`href="${server.origin}/users/cualo"`);
  });

  it("the fediverse link takes a browser to the home page and an AS2 client to the actor", async () => {
    const browser = await fetch(`${server.origin}/users/cualo`, {
      headers: { Accept: "text/html,application/xhtml+xml" },
      redirect: "manual",
    });
    expect(browser.status).toBe(302);
    expect(browser.headers.get("location")).toBe(`${server.origin}/`);
    expect(browser.headers.get("vary")).toMatch(/accept/i);
    const client = await get("/users/cualo", { Accept: "application/activity+json" });
    expect(client.status).toBe(200);
    expect(((await client.json()) as { type: string }).type).toBe("Organization");
    expect((await get("/users/someone-else", { Accept: "text/html" })).status).toBe(404);
  });

  it("an article page answers HTML to browsers with Vary and an AS2 alternate", async () => {
    const res = await get(`/articles/${SLUG}`, { Accept: "text/html" });
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("vary")).toMatch(/accept/i);
    expect(res.headers.get("link")).toContain('type="application/activity+json"');
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain("18/03/2021");
    expect(html).toContain("application/ld+json");
  });

  it("a tag page lists the tag's articles, matching tags without regard to case", async () => {
    for (const tag of ["Cải cách hành chính", "CẢI CÁCH HÀNH CHÍNH"]) {
      const res = await get(`/tags/${encodeURIComponent(tag)}`);
      expect(res.status, tag).toBe(200);
      const html = await res.text();
      expect(html).toContain("<h1>#Cải cách hành chính</h1>");
      expect(html).toContain(`href="${server.origin}/articles/${SLUG}"`);
    }
    expect((await get(`/tags/${encodeURIComponent("Không có")}`)).status).toBe(404);
    // The Note's hashtags link here.
    const note = (await (
      await get(`/articles/${SLUG}`, { Accept: "application/activity+json" })
    ).json()) as { tag: { href: string }[] };
    for (const { href } of note.tag) expect((await fetch(href)).status, href).toBe(200);
  });

  it("every response carries a request id and the security headers", async () => {
    const paths = ["/", "/rss.xml", "/articles/khong-co", "/users/cualo", "/.well-known/nodeinfo"];
    for (const path of paths) {
      const res = await get(
        path,
        path === "/users/cualo" ? { Accept: "application/activity+json" } : {},
      );
      expect(res.headers.get("x-request-id"), path).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("no-referrer");
    }
    const kept = await get("/", { "X-Request-Id": "proxy-42" });
    expect(kept.headers.get("x-request-id")).toBe("proxy-42");
    const replaced = await get("/", { "X-Request-Id": "bad id\twith spaces" });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers 405 with Allow to a method the site's pages and feeds do not take", async () => {
    const slug = "cua-lo-cchc-2021-03-18";
    for (const [method, path] of [
      ["POST", "/"],
      ["PUT", "/rss.xml"],
      ["DELETE", `/articles/${slug}`],
      ["PATCH", "/feed.json"],
    ] as const) {
      const res = await fetch(`${server.origin}${path}`, { method, body: "x" });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD");
    }
    // Nothing changed: the article is still there.
    expect((await get(`/articles/${slug}`)).status).toBe(200);
  });

  it("a sitemap lists the home page and every article, and robots.txt points to it", async () => {
    const res = await get("/sitemap.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    const xml = await res.text();
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/,
    );
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(locs[0]).toBe(`${server.origin}/`);
    expect(locs).toContain(`${server.origin}/articles/${SLUG}`);
    expect(xml).toContain(
      `<url><loc>${server.origin}/articles/${SLUG}</loc><lastmod>2021-03-18T08:00:00.000Z</lastmod></url>`,
    );
    const etag = res.headers.get("etag") ?? "";
    expect((await get("/sitemap.xml", { "If-None-Match": etag })).status).toBe(304);
    const robots = await get("/robots.txt");
    expect(robots.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await robots.text()).toContain(`Sitemap: ${server.origin}/sitemap.xml`);
  });

  it("an unknown slug gets a 404 page", async () => {
    const res = await get("/articles/khong-co-bai-nay");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('<html lang="vi">');
  });

  it("URLs come from ORIGIN even when Host and X-Forwarded headers lie", async () => {
    const res = await get("/rss.xml", {
      "X-Forwarded-Host": "evil.example",
      "X-Forwarded-Proto": "https",
    });
    const text = await res.text();
    expect(text).not.toContain("evil.example");
    expect(text).toContain(`${server.origin}/articles/${SLUG}`);
  });

  it("media never reaches outside content/ or serves non-images", async () => {
    for (const path of [
      "/media/site.yml",
      "/media/..%2fsite.yml",
      "/media/%2e%2e/package.json",
      `/media/articles/${SLUG}.md`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
    }
  });
});

describe("content changes while running", () => {
  it("an added, edited and removed article shows within 10 seconds", async () => {
    const rssTitles = async () =>
      (await parser.parseString(await (await get("/rss.xml")).text())).items.map((i) => i.title);
    await article("le-hoi-bien", "Lễ hội du lịch biển Cửa Lò");
    await eventually(
      async () => (await rssTitles()).includes("Lễ hội du lịch biển Cửa Lò"),
      "the new article",
    );
    expect((await get("/articles/le-hoi-bien")).status).toBe(200);
    expect(await (await get("/")).text()).toContain("Lễ hội du lịch biển Cửa Lò");

    await article("le-hoi-bien", "Lễ hội du lịch biển Cửa Lò 2026");
    await eventually(
      async () => (await rssTitles()).includes("Lễ hội du lịch biển Cửa Lò 2026"),
      "the edit",
    );

    await unlink(join(contentDir, "articles", "le-hoi-bien.md"));
    await eventually(
      async () => !(await rssTitles()).some((t) => t?.startsWith("Lễ hội")),
      "the removal",
    );
    expect([404, 410]).toContain((await get("/articles/le-hoi-bien")).status);
  });

  it("malformed articles are skipped while every other article is served", async () => {
    const dir = join(contentDir, "articles");
    await writeFile(
      join(dir, "bad-yaml.md"),
      "---\ntitle: [unclosed\npublished: 2026-01-01T00:00:00+07:00\n---\nx\n",
    );
    await writeFile(
      join(dir, "no-title.md"),
      "---\npublished: 2026-01-01T00:00:00+07:00\n---\nx\n",
    );
    await writeFile(
      join(dir, "no-offset.md"),
      "---\ntitle: Không có múi giờ\npublished: 2026-01-01T08:00:00\n---\nx\n",
    );
    await writeFile(
      join(dir, "dup.md"),
      `---\ntitle: Bản trùng\nslug: ${SLUG}\npublished: 2026-01-01T00:00:00+07:00\n---\nx\n`,
    );
    await article("bai-tot", "Bài viết hợp lệ");
    await eventually(
      async () => (await (await get("/rss.xml")).text()).includes("Bài viết hợp lệ"),
      "the good article",
    );
    const rss = await (await get("/rss.xml")).text();
    const feed = await parser.parseString(rss);
    const titles = feed.items.map((i) => i.title);
    expect(titles).toContain(seedTitle);
    expect(titles).not.toContain("Không có múi giờ");
    expect(titles).not.toContain("Bản trùng");
    expect((await get("/articles/no-title")).status).toBe(404);
    expect((await get("/articles/bad-yaml")).status).toBe(404);
    expect(server.output()).toMatch(/no-offset\.md/);
  });
});
