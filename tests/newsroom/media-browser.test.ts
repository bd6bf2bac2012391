/**
 * `/admin/media` in a real browser (Debian's Chromium through playwright-core)
 * against the real server: an upload with JavaScript off, axe-core's WCAG 2.1
 * AA rules on the library and on a refused upload, and no horizontal scroll
 * on a 390 px wide phone. Skipped, saying why, without `/usr/bin/chromium`.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeContentDir, type TempContent } from "../fixtures/content/make-dir.ts";
import { addStaff, withServerStore } from "../helpers/newsroom.ts";
import { phoneJpeg, TEXT_AS_JPG } from "../helpers/pictures.ts";
import { startServer, type TestServer } from "../helpers/server.ts";

const CHROMIUM = "/usr/bin/chromium";
const AXE = resolve(import.meta.dirname, "../../node_modules/axe-core/axe.min.js");
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`tests/newsroom/media-browser.test.ts skipped: ${CHROMIUM} is missing`);
}
const STAFF = { username: "thu", password: "một mật khẩu đủ dài" };
/** Generous for a loaded 2-core machine; every wait is for something, never a sleep. */
const WAIT_MS = 30_000;
const TEST_MS = 180_000;
const PHONE = { width: 390, height: 844 };

const AXE_RUN = `axe
  .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
  .then((result) => result.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target) })))`;
const OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth";

let server: TestServer;
let content: TempContent;
let browser: Browser;
let files: string;

beforeAll(async () => {
  if (!hasChromium) return;
  content = await makeContentDir();
  server = await startServer({ contentDir: content.dir });
  await addStaff(server.dataDir, STAFF.username, STAFF.password);
  files = await mkdtemp(join(tmpdir(), "loa-upload-"));
  await writeFile(join(files, "hop-to-dan-pho.jpg"), await phoneJpeg(1800, 1200));
  await writeFile(join(files, "bien-ban.jpg"), TEXT_AS_JPG);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: WAIT_MS * 2,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}, TEST_MS);

afterAll(async () => {
  await browser?.close();
  await server?.cleanup();
  await content?.cleanup();
  if (files) await rm(files, { recursive: true, force: true });
});

async function logIn(page: Page): Promise<void> {
  await page.goto(`${server.origin}/admin/`);
  await page.waitForURL(`${server.origin}/admin/login`);
  await page.fill("#username", STAFF.username);
  await page.fill("#password", STAFF.password);
  await Promise.all([page.waitForURL(`${server.origin}/admin/`), page.click("button.primary")]);
}

async function uploadWith(page: Page, file: string, alt: string): Promise<void> {
  await page.goto(`${server.origin}/admin/media`);
  await page.setInputFiles("#upload-file", join(files, file));
  await page.fill("#upload-alt", alt);
  await Promise.all([
    page.waitForLoadState("load"),
    page.getByRole("button", { name: "Tải ảnh lên" }).click(),
  ]);
}

describe.skipIf(!hasChromium)("/admin/media in a browser", () => {
  it(
    "uploads a picture with JavaScript off, on a phone",
    async () => {
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
      const page = await context.newPage();
      page.setDefaultTimeout(WAIT_MS);
      try {
        await logIn(page);
        await uploadWith(page, "hop-to-dan-pho.jpg", "Họp tổ dân phố số 3 tại nhà văn hóa");
        expect(page.url()).toBe(`${server.origin}/admin/media?done=uploaded`);
        await expect
          .poll(() =>
            page.getByRole("img", { name: "Họp tổ dân phố số 3 tại nhà văn hóa" }).count(),
          )
          .toBe(1);
        const stored = await withServerStore(server.dataDir, async (store) =>
          (await store.listPictures({ limit: 10 })).items.map((p) => p.alt),
        );
        expect(stored).toContain("Họp tổ dân phố số 3 tại nhà văn hóa");
      } finally {
        await context.close();
      }
    },
    TEST_MS,
  );

  it(
    "axe-core finds no WCAG 2.1 AA violation on the library or a refused upload, and nothing scrolls sideways at 390 px",
    async () => {
      // Only this context lets the injected axe-core past the page's CSP.
      const context = await browser.newContext({ bypassCSP: true, viewport: PHONE });
      const page = await context.newPage();
      page.setDefaultTimeout(WAIT_MS);
      const check = async () => {
        expect(await page.evaluate<number>(OVERFLOW)).toBeLessThanOrEqual(0);
        await page.addScriptTag({ path: AXE });
        expect(await page.evaluate<{ id: string; targets: unknown[] }[]>(AXE_RUN)).toEqual([]);
      };
      try {
        await logIn(page);
        await uploadWith(page, "hop-to-dan-pho.jpg", "Chợ phiên sáng chủ nhật");
        expect(page.url()).toBe(`${server.origin}/admin/media?done=uploaded`);
        // The thumbnails load from our own origin under the page's own policy.
        await expect
          .poll(() =>
            page.evaluate<boolean>(
              "[...document.images].every((i) => i.complete && i.naturalWidth > 0)",
            ),
          )
          .toBe(true);
        await check();
        await uploadWith(page, "bien-ban.jpg", "Biên bản");
        expect(await page.locator("#upload-error").textContent()).toMatch(/không phải là ảnh/);
        await check();
      } finally {
        await context.close();
      }
    },
    TEST_MS,
  );
});
