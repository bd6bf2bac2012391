/**
 * The newsroom's review path in Chromium against the real server on
 * loopback: a writer writes an article with a heading, a list, a link and a
 * picture, saves, previews and submits; an editor returns it with a
 * comment; the writer sees it, changes, submits again; the editor
 * publishes; a follower on loopback gets one `Create` whose `Image` carries
 * the alt text, and the page, the three feeds and the sitemap show it.
 * Along the way the editor's navigation counts what waits and the first
 * page lists it, the writer's first page shows what came back with the
 * comment, and the audit trail names who did each step.
 * Without JavaScript a draft can still be written and saved. axe-core
 * checks every new page, and the form fits a 390 px phone. The screenshots
 * go to `docs/newsroom/` for the staff's guide.
 */

import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processPicture } from "../../src/media/process.ts";
import { articleText } from "../fixtures/content/make-dir.ts";
import {
  axeViolations,
  hasChromium,
  logInAs,
  type NewsroomInChromium,
  type PageOptions,
  readNotice,
  scrollsSideways,
  startNewsroomInChromium,
  submitForm,
  WAIT_MS,
  type Watched,
  withPage,
} from "../helpers/browser.ts";
import { withServerStore } from "../helpers/newsroom.ts";
import { type Peer, startPeer } from "../helpers/peer.ts";
import { phoneJpeg } from "../helpers/pictures.ts";
import type { TestServer } from "../helpers/server.ts";

const TEST_MS = 240_000;
const SHOTS = resolve(import.meta.dirname, "../../docs/newsroom");
const WRITER = { username: "lan", password: "mật khẩu của người viết" };
const EDITOR = { username: "hung", password: "mật khẩu của biên tập viên" };
const ADMIN = { username: "quan", password: "mật khẩu của quản trị viên" };
const TITLE = "Lịch tiếp dân tháng 4";
const ALT = "Hội trường Ủy ban thị xã, hàng ghế xanh";
const PICTURE_ID = randomBytes(8).toString("hex");

let newsroom: NewsroomInChromium | undefined;
let server: TestServer;
let browser: Browser;
let peer: Peer;
/** The article's form, once the writer has saved it. */
let articlePath = "";

beforeAll(async () => {
  if (!hasChromium) return;
  newsroom = await startNewsroomInChromium(
    {
      "articles/tu-tep.md": articleText([
        'title: "Bài soạn bằng tệp"',
        "published: 2021-03-18T15:00:00+07:00",
      ]),
    },
    [
      { ...WRITER, roles: ["writer"] },
      { ...EDITOR, roles: ["editor"] },
      { ...ADMIN, roles: ["admin"] },
    ],
  );
  ({ server, browser } = newsroom);
  // A picture in the library, as an upload through /admin/media leaves it.
  const processed = await processPicture(await phoneJpeg(1200, 800));
  if (!processed.ok) throw new Error(processed.reason);
  await withServerStore(server.dataDir, (store) =>
    store.putPicture({
      id: PICTURE_ID,
      alt: ALT,
      uploadedBy: WRITER.username,
      createdAt: new Date(),
      ...processed.picture,
    }),
  );
  peer = await startPeer();
  await peer.follow(`${server.origin}/users/cualo`);
  await peer.waitFor((r) => r.json.type === "Accept", { timeoutMs: WAIT_MS });
}, TEST_MS);

afterAll(async () => {
  await peer?.close();
  await newsroom?.close();
});

/** Runs `use` in a fresh page where `who` has logged in. */
function as(
  who: { username: string; password: string },
  use: (watched: Watched) => Promise<void>,
  options: PageOptions = {},
): Promise<void> {
  return withPage(browser, server.origin, options, async (watched) => {
    await logInAs(watched.page, server.origin, who.username, who.password);
    await use(watched);
    // Nothing the pages load or run is refused by their policy.
    expect(watched.errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    expect(watched.dialogs).toEqual([]);
  });
}

/**
 * The top of the page as staff first see it (a small PNG for the guide). Taken
 * always (a page that cannot be drawn fails here), written to the guide only
 * with `LOA_SCREENSHOTS=1`, so a test run leaves the checkout as it was.
 */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate("window.scrollTo(0, 0)");
  const png = await page.screenshot({ type: "png", scale: "css" });
  expect(png.byteLength).toBeGreaterThan(1000);
  if (process.env.LOA_SCREENSHOTS === "1") writeFileSync(`${SHOTS}/${name}.png`, png);
}

/** Presses an action button and waits for the article's form to say it was done. */
function press(page: Page, label: string, done: string): Promise<void> {
  return submitForm(page, label, (url) => url.searchParams.get("done") === done);
}

describe.skipIf(!hasChromium)("writing, reviewing and publishing in the newsroom", () => {
  it(
    "a writer writes with the toolbar and a library picture, saves, previews and submits",
    async () => {
      await as(WRITER, async ({ page }) => {
        await page.goto(`${server.origin}/admin/articles/new`);
        await page.locator(".toolbar").waitFor({ state: "visible" });
        await page.fill("#title", TITLE);
        await page.fill("#summary", "Lịch tiếp công dân của Ủy ban thị xã trong tháng 4.");
        const body = page.locator("#body");
        await body.click();
        await page.getByRole("button", { name: "Tiêu đề mục" }).click();
        await body.pressSequentially("Các ngày tiếp dân");
        await body.press("End");
        await body.pressSequentially("\n\n");
        await page.getByRole("button", { name: "Gạch đầu dòng" }).click();
        await body.pressSequentially("Thứ Hai: phường Nghi Hòa");
        await body.press("End");
        await body.pressSequentially("\n\nXem ");
        await page.getByRole("button", { name: "Liên kết" }).click();
        await body.pressSequentially("https://cualo.example/lich");
        await body.press("End");
        await page.getByRole("button", { name: "Chèn ảnh" }).click();
        await page.getByRole("button", { name: "Chèn vào nội dung" }).click();
        await page.selectOption("#image", PICTURE_ID);
        await page.fill("#image_alt", ALT);
        await page.fill("#tags", "tiếp dân, hành chính");
        await page.locator("#live-preview article h2").waitFor();
        await shot(page, "form");
        await submitForm(page, "Lưu bản nháp", /\/admin\/articles\/[^/]+\?done=save$/);
        articlePath = new URL(page.url()).pathname;
        await readNotice(page, "Đã lưu bản nháp.");
        await page.goto(`${server.origin}${articlePath}/preview`);
        const frame = page.frameLocator("iframe.page");
        await frame.locator("article h2", { hasText: "Các ngày tiếp dân" }).waitFor();
        expect(await frame.locator("article li").first().textContent()).toBe(
          "Thứ Hai: phường Nghi Hòa",
        );
        expect(await frame.locator('article a[href="https://cualo.example/lich"]').count()).toBe(1);
        expect(await page.locator(`.card img[alt="${ALT}"]`).count()).toBe(1);
        await shot(page, "preview");
        await page.goto(`${server.origin}${articlePath}`);
        await press(page, "Gửi duyệt", "submit");
        await page.getByText("Chờ duyệt", { exact: true }).waitFor();
      });
    },
    TEST_MS,
  );

  it(
    "an editor finds it waiting and returns it with a comment; the writer sees the comment, changes and submits",
    async () => {
      expect(articlePath).not.toBe("");
      await as(EDITOR, async ({ page }) => {
        // The first page after login: the count beside the articles, and the article waiting.
        expect(new URL(page.url()).pathname).toBe("/admin/");
        const nav = page.getByRole("navigation", { name: "Tòa soạn" });
        expect(await nav.getByRole("link", { name: "Bài viết (1) bài chờ duyệt" }).count()).toBe(1);
        const waiting = page.locator("section.waiting", { hasText: "Bài chờ duyệt" });
        expect(await waiting.textContent()).toContain("1 bài đang chờ bạn duyệt");
        expect(await waiting.textContent()).toContain(WRITER.username);
        await shot(page, "dashboard");
        await waiting.getByRole("link", { name: TITLE }).click();
        await page.waitForURL(`${server.origin}${articlePath}`);
        await page.fill("#comment", "Xin thêm giờ tiếp dân buổi chiều.");
        await press(page, "Trả lại cho người viết", "return");
      });
      await as(WRITER, async ({ page }) => {
        // What came back is on the writer's first page, with the comment's start.
        const back = page.locator("section.waiting", { hasText: "Bị trả lại" });
        expect(await back.textContent()).toContain("Góp ý: Xin thêm giờ tiếp dân buổi chiều.");
        await back.getByRole("link", { name: TITLE }).click();
        await page.waitForURL(`${server.origin}${articlePath}`);
        const note = page.locator("aside.comment");
        expect(await note.textContent()).toContain("Xin thêm giờ tiếp dân buổi chiều.");
        expect(await note.textContent()).toContain(EDITOR.username);
        await shot(page, "returned");
        const body = page.locator("#body");
        await body.press("Control+End");
        await body.pressSequentially("\n\nBuổi chiều: từ 14 giờ đến 17 giờ.");
        await press(page, "Gửi duyệt", "submit");
      });
    },
    TEST_MS,
  );

  it(
    "the editor publishes: one Create with the picture's alt text, and the page, feeds and sitemap show it",
    async () => {
      expect(articlePath).not.toBe("");
      await as(EDITOR, async ({ page }) => {
        await page.goto(`${server.origin}${articlePath}`);
        await press(page, "Duyệt và đăng", "publish");
        await page.getByText("Đã đăng", { exact: true }).waitFor();
        await page.goto(`${server.origin}${articlePath}/revisions`);
        expect(await page.locator("ol.items > li").count()).toBeGreaterThanOrEqual(2);
        const oldest = (await page.locator("#from option").count()) - 1;
        await page.selectOption("#from", { index: oldest });
        await page.selectOption("#to", { index: 0 });
        await page.getByRole("button", { name: "So sánh" }).click();
        expect(await page.locator(".diff ins").first().textContent()).toContain("Buổi chiều");
        await shot(page, "revisions");
      });
      const creates = await peer.waitFor((r) => r.json.type === "Create", { timeoutMs: WAIT_MS });
      const slug = "lich-tiep-dan-thang-4";
      const page = `${server.origin}/articles/${slug}`;
      const note = creates[0]?.json.object as Record<string, unknown> | undefined;
      expect(note?.id).toBe(page);
      const attachment = [note?.attachment].flat()[0] as Record<string, unknown> | undefined;
      expect(attachment?.type).toBe("Image");
      expect(attachment?.name).toBe(ALT);
      const seen = async (path: string) => {
        const res = await fetch(`${server.origin}${path}`, { headers: { Accept: "text/html" } });
        return (await res.text()).includes(slug);
      };
      await expect
        .poll(() => seen(`/articles/${slug}`), { timeout: 5_000, interval: 250 })
        .toBe(true);
      for (const path of ["/rss.xml", "/atom.xml", "/feed.json", "/sitemap.xml"]) {
        await expect.poll(() => seen(path), { timeout: 5_000, interval: 250 }).toBe(true);
      }
      // Exactly one: nothing more arrives while the delivery queue drains.
      await peer.waitFor((r) => r.json.type === "Create", { timeoutMs: WAIT_MS });
      expect(peer.received.filter((r) => r.json.type === "Create")).toHaveLength(1);
    },
    TEST_MS,
  );

  it(
    "the audit trail shows each step of the review with who took it",
    async () => {
      expect(articlePath).not.toBe("");
      const id = decodeURIComponent(articlePath.split("/").at(-1) ?? "");
      await as(ADMIN, async ({ page }) => {
        await page
          .getByRole("navigation", { name: "Tòa soạn" })
          .getByRole("link", { name: "Nhật ký" })
          .click();
        await page.fill("#audit-action", "article.");
        await submitForm(
          page,
          "Lọc",
          (url) => url.pathname === "/admin/audit" && url.search !== "",
        );
        const entries = await page.locator("ul.items > li").allTextContents();
        const steps = entries
          .filter((text) => text.includes(id))
          .map((text) => /(article\.(?:submit|return|publish))\b[\s\S]*· (lan|hung) ·/.exec(text))
          .filter((m) => m !== null)
          .map((m) => `${m[1]} ${m[2]}`);
        // Newest first.
        expect(steps).toEqual([
          "article.publish hung",
          "article.submit lan",
          "article.return hung",
          "article.submit lan",
        ]);
      });
    },
    TEST_MS,
  );

  it(
    "without JavaScript a writer writes a draft and saves it",
    async () => {
      await as(
        WRITER,
        async ({ page }) => {
          await page.goto(`${server.origin}/admin/articles/new`);
          expect(await page.locator(".toolbar").isVisible()).toBe(false);
          await page.fill("#title", "Bản nháp viết không có JavaScript");
          await page.fill("#body", "## Tiêu đề\n\n- một\n- hai");
          await submitForm(page, "Lưu bản nháp", /\/admin\/articles\/[^/]+\?done=save$/);
          expect(await page.locator("#body").inputValue()).toBe("## Tiêu đề\n\n- một\n- hai");
        },
        { javaScriptEnabled: false },
      );
    },
    TEST_MS,
  );

  it(
    "axe-core finds no WCAG 2.1 AA violation on the new pages, and the form fits a 390 px phone",
    async () => {
      expect(articlePath).not.toBe("");
      await as(
        EDITOR,
        async ({ page }) => {
          for (const path of [
            "/admin/",
            "/admin/articles",
            "/admin/articles/new",
            articlePath,
            `${articlePath}/preview`,
            `${articlePath}/revisions?from=1&to=2`,
          ]) {
            await page.goto(`${server.origin}${path}`);
            expect({ path, violations: await axeViolations(page) }).toEqual({
              path,
              violations: [],
            });
          }
          await page.goto(`${server.origin}/admin/articles`);
          await shot(page, "list");
        },
        { bypassCSP: true },
      );
      await as(
        WRITER,
        async ({ page }) => {
          await page.goto(`${server.origin}/admin/articles/new`);
          expect(await scrollsSideways(page)).toBe(false);
          await page.goto(`${server.origin}${articlePath}`);
          expect(await scrollsSideways(page)).toBe(false);
          await shot(page, "phone");
        },
        { width: 390 },
      );
    },
    TEST_MS,
  );
});
