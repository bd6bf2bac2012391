/**
 * The article form's scripts in Chromium, on the form page as the newsroom
 * renders it and under its real policy (`EDITOR_CSP`): the toolbar inserts
 * Markdown at the cursor, HTML pasted from a word processor or a web page
 * arrives as Markdown (turndown and its GFM plugin served from our origin),
 * and the live preview shows the server's rendering. No guard here: the
 * form's route and its session are the end-to-end test's.
 */
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assetRoutes } from "../../src/newsroom/http/asset-routes.ts";
import type { NewsroomEnv } from "../../src/newsroom/http/deps.ts";
import { formOf } from "../../src/newsroom/http/guard.ts";
import { livePreviewRoute } from "../../src/newsroom/http/preview-routes.ts";
import { emptyValues, renderArticleForm } from "../../src/newsroom/pages/article-form.ts";
import { EDITOR_CSP } from "../../src/newsroom/pages/index.ts";
import { createUrls } from "../../src/urls.ts";
import { fixtureArticles, fixtureSite } from "../fixtures/articles.ts";
import {
  hasChromium,
  launchChromium,
  type PageOptions,
  PIXEL,
  scrollsSideways,
  WAIT_MS,
  type Watched,
  withPage,
} from "../helpers/browser.ts";

const TEST_MS = 120_000;
let server: ServerType;
let origin = "";
let browser: Browser;

const PICTURE = {
  id: "0123456789abcdef",
  src: "/pictures/0123456789abcdef/full.png",
  alt: "Hội trường",
};

beforeAll(async () => {
  if (!hasChromium) return;
  const app = new Hono<NewsroomEnv>();
  assetRoutes(app);
  app.get("/admin/articles/new", (c) => {
    c.header("Content-Security-Policy", EDITOR_CSP);
    return c.html(
      renderArticleForm({
        site: fixtureSite,
        csrfToken: "token",
        values: emptyValues("vi"),
        actions: ["save", "submit"],
        pictures: [PICTURE],
        timeZone: fixtureSite.timezone,
      }),
    );
  });
  // The library's picture.
  app.get("/pictures/*", (c) => c.body(PIXEL, 200, { "Content-Type": "image/png" }));
  app.use("/admin/articles/live-preview", async (c, next) => {
    c.set("form", await formOf(c));
    await next();
  });
  const snapshot = {
    site: fixtureSite,
    articles: fixtureArticles,
    problems: [],
    brokenFiles: [],
    drafts: [],
  };
  await new Promise<void>((ready) => {
    server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => {
      origin = `http://127.0.0.1:${info.port}`;
      ready();
    });
  });
  livePreviewRoute(app, {
    content: { current: () => snapshot },
    clock: () => new Date("2021-03-18T10:00:00Z"),
    urls: createUrls(new URL(origin)),
    config: { origin: new URL(origin) },
  } as unknown as Parameters<typeof livePreviewRoute>[1]);
  browser = await launchChromium();
}, TEST_MS);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
});

/** Runs `use` on the article form, opened in a fresh page. */
const onForm = (use: (watched: Watched) => Promise<void>, options: PageOptions = {}) =>
  withPage(browser, origin, options, async (watched) => {
    await watched.page.goto(`${origin}/admin/articles/new`);
    await use(watched);
  });

const body = (page: Page) => page.locator("#body");

/** Puts `html` on the clipboard as a word processor would, and pastes it into the body. */
async function pasteHtml(page: Page, html: string, plain = "plain text"): Promise<void> {
  await body(page).focus();
  // A string: the project's TypeScript has no DOM types.
  await page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData("text/html", ${JSON.stringify(html)});
    data.setData("text/plain", ${JSON.stringify(plain)});
    document.getElementById("body").dispatchEvent(
      new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }),
    );
  })()`);
}

/** Pastes `html` once the form's scripts are running, and reads the Markdown that arrived. */
async function pastedMarkdown(page: Page, html: string): Promise<string> {
  await page.locator(".toolbar").waitFor({ state: "visible" });
  await pasteHtml(page, html);
  return await body(page).inputValue();
}

describe.skipIf(!hasChromium)("the article form's scripts in Chromium", () => {
  it(
    "the toolbar inserts headings, bold, italic, lists, links and pictures as Markdown at the cursor",
    () =>
      onForm(async (watched) => {
        const { page } = watched;
        await page.locator(".toolbar").waitFor({ state: "visible" });
        await body(page).fill("Lịch tiếp dân");
        await body(page).selectText();
        await page.getByRole("button", { name: "Tiêu đề mục" }).click();
        await body(page).press("End");
        await body(page).pressSequentially("\n\nNgày ");
        await page.getByRole("button", { name: "Đậm" }).click();
        await body(page).pressSequentially("thứ Hai");
        await body(page).press("End");
        await body(page).pressSequentially("\n\n");
        await page.getByRole("button", { name: "Gạch đầu dòng" }).click();
        await body(page).pressSequentially("Phường 1");
        await body(page).press("End");
        await body(page).pressSequentially("\n\nXem ");
        await page.getByRole("button", { name: "Liên kết" }).click();
        await body(page).pressSequentially("https://cualo.example/lich");
        await body(page).press("End");
        await page.getByRole("button", { name: "Chèn ảnh" }).click();
        await page.getByRole("button", { name: "Chèn vào nội dung" }).click();
        expect(await body(page).inputValue()).toBe(
          [
            "## Lịch tiếp dân",
            "",
            "Ngày **thứ Hai**",
            "",
            "- Phường 1",
            "",
            "Xem [chữ của liên kết](https://cualo.example/lich)",
            "",
            `![Hội trường](${PICTURE.src})`,
            "",
            "",
          ].join("\n"),
        );
        expect(watched.errors).toEqual([]);
      }),
    TEST_MS,
  );

  it(
    "HTML pasted from Word keeps headings, bold, italic, lists, links and tables, and drops the rest",
    () =>
      onForm(async (watched) => {
        const { page } = watched;
        const markdown = await pastedMarkdown(
          page,
          `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style></head><body>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]-->
<h1>Thông báo</h1>
<p class="MsoNormal">Lịch <b>tiếp dân</b> và <i>họp tổ</i><o:p></o:p></p>
<p class="MsoListParagraphCxSpFirst" style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">·<span>&nbsp;&nbsp;</span></span>Phường Nghi Hòa</p>
<p class="MsoListParagraphCxSpLast" style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">·<span>&nbsp;&nbsp;</span></span>Phường Thu Thủy</p>
<p><a href="https://cualo.example/lich">Xem lịch</a><img src="file:///C:/Users/x/image001.png" alt="logo"></p>
<table><tr><th>Ngày</th><th>Nơi</th></tr><tr><td>Thứ Hai</td><td>Hội trường</td></tr></table>
<script>alert(1)</script></body></html>`,
        );
        expect(markdown).toContain("# Thông báo");
        expect(markdown).toContain("Lịch **tiếp dân** và *họp tổ*");
        expect(markdown).toMatch(/^- Phường Nghi Hòa$/m);
        expect(markdown).toMatch(/^- Phường Thu Thủy$/m);
        expect(markdown).toContain("[Xem lịch](https://cualo.example/lich)");
        expect(markdown).toContain("| Ngày | Nơi |");
        expect(markdown).toContain("| Thứ Hai | Hội trường |");
        expect(markdown).not.toMatch(/alert|mso|o:p|file:|MsoNormal|·/);
        expect(watched.dialogs).toEqual([]);
        expect(watched.errors).toEqual([]);
      }),
    TEST_MS,
  );

  it(
    "HTML from Google Docs or a web page: the whole-paste <b> is not bold, lists and links kept",
    () =>
      onForm(async (watched) => {
        const { page } = watched;
        const markdown = await pastedMarkdown(
          page,
          `<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1"><h2 dir="ltr"><span>Kế hoạch</span></h2><ul><li><p><span>Một</span></p></li><li><p><span style="font-weight:700">Hai</span></p></li></ul><ol><li>Bước đầu</li></ol><p><a href="https://example.org/a">liên kết</a> <img src="https://example.org/p.jpg" alt="Bãi biển"></p></b>`,
        );
        expect(markdown).toContain("## Kế hoạch");
        expect(markdown).not.toContain("**Kế hoạch");
        expect(markdown).toMatch(/^- +Một$/m);
        expect(markdown).toMatch(/^1\. +Bước đầu$/m);
        expect(markdown).toContain("[liên kết](https://example.org/a)");
        expect(markdown).toContain("![Bãi biển](https://example.org/p.jpg)");
        expect(watched.errors).toEqual([]);
      }),
    TEST_MS,
  );

  it(
    "the live preview shows the server's rendering of the draft while typing",
    () =>
      onForm(async (watched) => {
        const { page } = watched;
        await page.fill("#title", "Lịch tiếp dân tháng 4");
        await body(page).fill("## Thứ Hai\n\n- Phường **Nghi Hòa**");
        const preview = page.locator("#live-preview");
        await preview.locator("article h2", { hasText: "Thứ Hai" }).waitFor({ timeout: WAIT_MS });
        await expect
          .poll(() => preview.locator("article h1").textContent(), { timeout: WAIT_MS })
          .toBe("Lịch tiếp dân tháng 4");
        expect(await preview.locator("article li strong").textContent()).toBe("Nghi Hòa");
        expect(watched.errors).toEqual([]);
      }),
    TEST_MS,
  );

  it(
    "without JavaScript the form is all there (no toolbar to press, no preview) and fits a 390 px phone",
    () =>
      onForm(
        async ({ page }) => {
          expect(await page.locator(".toolbar").isVisible()).toBe(false);
          expect(await page.locator("#live-preview").isVisible()).toBe(false);
          for (const name of [
            "title",
            "summary",
            "body",
            "tags",
            "author",
            "published",
            "slug",
            "language",
            "image",
            "image_alt",
          ]) {
            expect(await page.locator(`[name="${name}"]`).count(), name).toBe(1);
          }
          expect(await scrollsSideways(page)).toBe(false);
        },
        { javaScriptEnabled: false, width: 390 },
      ),
    TEST_MS,
  );
});
