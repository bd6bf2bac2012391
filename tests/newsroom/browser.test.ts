/**
 * The newsroom and an article page in a real browser: Debian's Chromium
 * driven by playwright-core, against the real server over loopback. One
 * launch for the file; each test has its own context (a fresh profile:
 * `launch()` runs Chromium on a new empty user-data-dir of its own).
 * Skipped, saying why, where `/usr/bin/chromium` is missing (`.ci/run`
 * installs it with apt).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NEWSROOM_CSP } from "../../src/newsroom/pages/index.ts";
import { PAGE_CSP } from "../../src/pages/index.ts";
import type { Interaction } from "../../src/storage/interactions.ts";
import { sanitizeReplyHtml } from "../../src/text/sanitize.ts";
import { articleText } from "../fixtures/content/make-dir.ts";
import { reply } from "../fixtures/replies.ts";
import {
  axeViolations,
  hasChromium,
  logInAs,
  type NewsroomInChromium,
  type PageOptions,
  readNotice,
  startNewsroomInChromium,
  submitForm,
  WAIT_MS,
  type Watched,
  warnIfNoChromium,
  withPage,
} from "../helpers/browser.ts";
import { withServerStore } from "../helpers/newsroom.ts";
import type { TestServer } from "../helpers/server.ts";

warnIfNoChromium("tests/newsroom/browser.test.ts");

const SLUG = "thong-bao-lich-tiep-dan";
const STAFF = { username: "thu", password: "một mật khẩu đủ dài" };
const TEST_MS = 120_000;

const HOSTILE = [
  `<p>Chào bà con<script>alert("script")</script></p>`,
  `<p><img src="x" onerror="alert('onerror')"> <a href="javascript:alert('link')">bấm vào đây</a></p>`,
  `<style>body{display:none}</style>`,
  `<p onclick="alert('click')" style="position:fixed;inset:0">Nội dung <b onmouseover="alert('hover')">đậm</b></p>`,
  `<form action="https://evil.example/"><input name="x"><button>Gửi đi</button></form>`,
  `<iframe src="javascript:alert('iframe')"></iframe><svg onload="alert('svg')"></svg>`,
].join("");

let newsroom: NewsroomInChromium | undefined;
let server: TestServer;
let browser: Browser;
let friendly: Interaction;
let hostileStored: Interaction;
let hostileRaw: Interaction;

const articleUrl = () => `${server.origin}/articles/${SLUG}`;
const inThread = (user: string, html: string): Interaction =>
  reply(user, { state: "pending", slug: SLUG, inReplyTo: articleUrl(), html });

beforeAll(async () => {
  if (!hasChromium) return;
  newsroom = await startNewsroomInChromium(
    {
      [`articles/${SLUG}.md`]: articleText([
        'title: "Thông báo lịch tiếp dân tháng 4"',
        "published: 2021-03-18T15:00:00+07:00",
      ]),
    },
    [STAFF],
  );
  ({ server, browser } = newsroom);
  // As the inbox stores them: sanitized on the way in…
  friendly = inThread("an", sanitizeReplyHtml("<p>Xin hỏi lịch tiếp dân tháng 4 ạ?</p>"));
  hostileStored = inThread("ke-xau", sanitizeReplyHtml(HOSTILE));
  // …and one stored raw, to show the pages sanitize again when they render.
  hostileRaw = inThread("ke-xau-2", HOSTILE);
  const waiting = inThread("binh", sanitizeReplyHtml("<p>Cảm ơn thị xã.</p>"));
  await withServerStore(server.dataDir, async (store) => {
    for (const r of [friendly, hostileStored, hostileRaw, waiting]) await store.putInteraction(r);
  });
}, TEST_MS);

afterAll(() => newsroom?.close());

/** A fresh page for `use`; the authors' avatars are answered with a pixel, so nothing leaves loopback. */
const inBrowser = (use: (watched: Watched) => Promise<void>, options: PageOptions = {}) =>
  withPage(browser, server.origin, { ...options, pixelsElsewhere: true }, use);

async function logIn(page: Page): Promise<void> {
  await logInAs(page, server.origin, STAFF.username, STAFF.password);
  // The first page counts the held replies and links to the queue.
  await Promise.all([
    page.waitForURL(`${server.origin}/admin/replies`),
    page.getByRole("link", { name: /phản hồi chờ duyệt/ }).click(),
  ]);
}

/** The queue entry of `r` (the `<li>` whose forms carry its id). */
const entryOf = (page: Page, r: Interaction) =>
  page.locator("ol.items > li", { has: page.locator(`input[name="id"][value="${r.id}"]`) }).first();

async function approve(page: Page, r: Interaction): Promise<void> {
  await submitForm(
    page,
    entryOf(page, r).getByRole("button", { name: "Duyệt" }),
    `${server.origin}/admin/replies?done=approved`,
  );
}

const stateOf = (r: Interaction) =>
  withServerStore(server.dataDir, async (store) => (await store.getInteraction(r.id))?.state);

// Run in the page (strings: the project's TypeScript has no DOM types).
/** What is on the page that could run or restyle it. */
const INSPECT = `({
  scripts: document.querySelectorAll("script:not([type='application/ld+json'])").length,
  onerror: document.querySelectorAll("[onerror]").length,
  handlers: [...document.querySelectorAll("*")].filter((e) =>
    [...e.attributes].some((a) => a.name.startsWith("on"))).length,
  inlineStyles: document.querySelectorAll("[style]").length,
  styles: document.querySelectorAll("style").length,
  javascriptLinks: document.querySelectorAll("a[href^='javascript:' i]").length,
  embedded: document.querySelectorAll("iframe, svg, object, embed").length,
  foreignForms: document.querySelectorAll("form[action^='https://evil']").length,
  bodyShown: getComputedStyle(document.body).display !== "none",
})`;

/** What must hold on any page showing hostile replies: nothing that can run, nothing restyled. */
async function expectNothingRuns(watched: Watched): Promise<void> {
  const { page } = watched;
  const found = await page.evaluate<Record<string, number | boolean>>(INSPECT);
  expect(found).toEqual({
    scripts: 0,
    onerror: 0,
    handlers: 0,
    inlineStyles: 0,
    styles: 1, // the page's own stylesheet, allowed by hash
    javascriptLinks: 0,
    embedded: 0,
    foreignForms: 0,
    bodyShown: true,
  });
  expect(watched.dialogs).toEqual([]);
  expect(watched.errors).toEqual([]);
}

describe.skipIf(!hasChromium)("the newsroom in Chromium", () => {
  it(
    "a staff member logs in through the form, sees the pending reply and approves it",
    () =>
      inBrowser(async (watched) => {
        const { page } = watched;
        await logIn(page);
        const entry = entryOf(page, friendly);
        await expect.poll(() => entry.textContent()).toContain("Xin hỏi lịch tiếp dân tháng 4 ạ?");
        await approve(page, friendly);
        await readNotice(page, "Đã duyệt phản hồi");
        expect(await entryOf(page, friendly).count()).toBe(0);
        expect(await stateOf(friendly)).toBe("approved");
        expect(watched.dialogs).toEqual([]);
        expect(watched.errors).toEqual([]);
      }),
    TEST_MS,
  );

  it(
    "the approved reply then shows on the public article page",
    async () => {
      expect(await stateOf(friendly)).toBe("approved");
      await inBrowser(async ({ page }) => {
        // The page is re-rendered when the conversation cache has re-read the store.
        await expect
          .poll(
            async () => {
              await page.goto(articleUrl());
              return await page.locator("main").textContent();
            },
            { timeout: WAIT_MS, interval: 500 },
          )
          .toContain("Xin hỏi lịch tiếp dân tháng 4 ạ?");
      });
    },
    TEST_MS,
  );

  it(
    "hostile reply HTML shows in the queue as harmless text, and nothing runs",
    () =>
      inBrowser(async (watched) => {
        const { page } = watched;
        await logIn(page);
        expect(
          (await page.goto(`${server.origin}/admin/replies`))?.headers()["content-security-policy"],
        ).toBe(NEWSROOM_CSP);
        for (const r of [hostileStored, hostileRaw]) {
          const text = await entryOf(page, r).textContent();
          expect(text).toContain("Chào bà con");
          expect(text).toContain("bấm vào đây");
          expect(text).toContain("Nội dung đậm");
          expect(text).not.toContain("display:none");
        }
        await entryOf(page, hostileRaw).getByText("bấm vào đây").click();
        await expectNothingRuns(watched);
        await approve(page, hostileStored);
        await approve(page, hostileRaw);
        expect(await stateOf(hostileRaw)).toBe("approved");
      }),
    TEST_MS,
  );

  it(
    "on the article page the approved hostile replies are harmless text under the unchanged strict CSP",
    () =>
      inBrowser(async (watched) => {
        const { page } = watched;
        await expect
          .poll(
            async () => {
              const response = await page.goto(articleUrl());
              expect(response?.headers()["content-security-policy"]).toBe(PAGE_CSP);
              return await page.getByText("Chào bà con").count();
            },
            { timeout: WAIT_MS, interval: 500 },
          )
          .toBe(2);
        await page.getByText("bấm vào đây").first().click();
        await expectNothingRuns(watched);
      }),
    TEST_MS,
  );

  it(
    "axe-core finds no WCAG 2.1 AA violation on the login page, the queue and an article page with replies",
    () =>
      inBrowser(
        async ({ page }) => {
          const violations = async (url: string) => {
            if (page.url() !== url) await page.goto(url);
            return await axeViolations(page);
          };
          expect(await violations(`${server.origin}/admin/login`)).toEqual([]);
          await logIn(page);
          expect(await page.locator("ol.items > li").count()).toBeGreaterThan(0);
          expect(await violations(`${server.origin}/admin/replies`)).toEqual([]);
          expect(await violations(`${server.origin}/admin/`)).toEqual([]);
          expect(await violations(articleUrl())).toEqual([]);
        },
        { bypassCSP: true },
      ),
    TEST_MS,
  );
});
