/**
 * `/admin/media` in a real browser (Debian's Chromium through playwright-core)
 * against the real server: an upload with JavaScript off, axe-core's WCAG 2.1
 * AA rules on the library and on a refused upload, and no horizontal scroll
 * on a 390 px wide phone. Skipped, saying why, without `/usr/bin/chromium`.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  hasChromium,
  logInAs,
  type NewsroomInChromium,
  scrollsSideways,
  startNewsroomInChromium,
  submitForm,
  warnIfNoChromium,
  withPage,
} from "../helpers/browser.ts";
import { withServerStore } from "../helpers/newsroom.ts";
import { phoneJpeg, TEXT_AS_JPG } from "../helpers/pictures.ts";
import type { TestServer } from "../helpers/server.ts";

warnIfNoChromium("tests/newsroom/media-browser.test.ts");
const STAFF = { username: "thu", password: "một mật khẩu đủ dài" };
const TEST_MS = 180_000;
const PHONE = 390;

let newsroom: NewsroomInChromium | undefined;
let server: TestServer;
let browser: Browser;
let files: string;

beforeAll(async () => {
  if (!hasChromium) return;
  newsroom = await startNewsroomInChromium({}, [STAFF]);
  ({ server, browser } = newsroom);
  files = await mkdtemp(join(tmpdir(), "loa-upload-"));
  await writeFile(join(files, "hop-to-dan-pho.jpg"), await phoneJpeg(1800, 1200));
  await writeFile(join(files, "bien-ban.jpg"), TEXT_AS_JPG);
}, TEST_MS);

afterAll(async () => {
  await newsroom?.close();
  if (files) await rm(files, { recursive: true, force: true });
});

async function uploadWith(page: Page, file: string, alt: string): Promise<void> {
  await page.goto(`${server.origin}/admin/media`);
  await page.setInputFiles("#upload-file", join(files, file));
  await page.fill("#upload-alt", alt);
  await submitForm(page, "Tải ảnh lên");
}

describe.skipIf(!hasChromium)("/admin/media in a browser", () => {
  it(
    "uploads a picture with JavaScript off, on a phone",
    () =>
      withPage(
        browser,
        server.origin,
        { javaScriptEnabled: false, width: PHONE },
        async ({ page }) => {
          await logInAs(page, server.origin, STAFF.username, STAFF.password);
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
        },
      ),
    TEST_MS,
  );

  it(
    "axe-core finds no WCAG 2.1 AA violation on the library or a refused upload, and nothing scrolls sideways at 390 px",
    () =>
      withPage(browser, server.origin, { bypassCSP: true, width: PHONE }, async ({ page }) => {
        const check = async () => {
          expect(await scrollsSideways(page)).toBe(false);
          expect(await axeViolations(page)).toEqual([]);
        };
        await logInAs(page, server.origin, STAFF.username, STAFF.password);
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
      }),
    TEST_MS,
  );
});
