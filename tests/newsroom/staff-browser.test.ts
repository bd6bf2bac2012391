/**
 * Staff in the browser (Debian's Chromium through playwright-core) against
 * the real server: an admin adds a writer and reads the one-time link off
 * the page; in another browser the member opens it, sets a password, logs
 * in and lands in the newsroom — on a 390 px phone with JavaScript off, as a
 * new member may well first meet it. axe-core's WCAG 2.1 AA rules run on the
 * staff page and the link's page. Skipped, saying why, without Chromium.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  fillIn,
  hasChromium,
  logInAs,
  type NewsroomInChromium,
  openPage,
  readNotice,
  scrollsSideways,
  startNewsroomInChromium,
  submitForm,
  submitLogin,
  warnIfNoChromium,
} from "../helpers/browser.ts";
import { withServerStore } from "../helpers/newsroom.ts";
import type { TestServer } from "../helpers/server.ts";

warnIfNoChromium("tests/newsroom/staff-browser.test.ts");

const ADMIN = { username: "thu", password: "một mật khẩu đủ dài" };
const MEMBER = { username: "lan", password: "mật khẩu lan tự đặt" };
const TEST_MS = 180_000;

let newsroom: NewsroomInChromium | undefined;
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  newsroom = await startNewsroomInChromium({}, [ADMIN]);
  ({ server, browser } = newsroom);
}, TEST_MS);

afterAll(() => newsroom?.close());

describe.skipIf(!hasChromium)("staff in the browser", () => {
  it(
    "an admin adds a writer, whose one-time link sets the password and logs in",
    async () => {
      const origin = server.origin;
      const admin = await openPage(browser, origin, { bypassCSP: true });
      const newcomer = await openPage(browser, origin, {
        bypassCSP: true,
        javaScriptEnabled: false,
        width: 390,
      });
      try {
        const page = admin.page;
        await logInAs(page, origin, ADMIN.username, ADMIN.password);
        await page.getByRole("link", { name: "Nhân sự" }).click();
        await page.waitForURL(`${origin}/admin/staff`);
        expect(await axeViolations(page)).toEqual([]);
        await page.setViewportSize({ width: 390, height: 844 });
        expect(await scrollsSideways(page)).toBe(false);
        await page.setViewportSize({ width: 1024, height: 900 });

        await page.fill("#new-username", MEMBER.username);
        expect(await page.isChecked("#new-roles-writer")).toBe(true);
        await submitForm(page, "Thêm tài khoản");
        const link = await page.locator("#one-time-link").inputValue();
        expect(link).toMatch(new RegExp(`^${origin}/admin/password/[A-Za-z0-9_-]{43}$`));
        expect(await page.content()).not.toContain(MEMBER.password);

        // axe needs JavaScript: it reads the link's page in the admin's browser (a GET
        // does not spend the link); the member meets it with JavaScript off.
        await page.goto(link);
        expect(await axeViolations(page)).toEqual([]);

        const member = newcomer.page;
        await member.goto(link);
        await member.getByText(MEMBER.username).first().waitFor();
        expect(await scrollsSideways(member)).toBe(false);
        await fillIn(member, { "#password": MEMBER.password, "#confirm": MEMBER.password });
        await submitForm(member, "Đặt mật khẩu", `${origin}/admin/login?password-set=1`);
        await readNotice(member, "Đã đặt mật khẩu");
        // A writer's first page is their own: drafts and what came back.
        await submitLogin(member, origin, MEMBER.username, MEMBER.password);
        await member.getByRole("heading", { name: "Bản nháp của bạn" }).waitFor();
        await member.getByRole("button", { name: "Đăng xuất" }).waitFor();
        expect(await scrollsSideways(member)).toBe(false);

        const roles = await withServerStore(server.dataDir, async (store) => {
          const trail = await store.listAudit({ limit: 20 });
          return {
            account: (await store.getStaff(MEMBER.username))?.roles,
            actions: trail.items.map((r) => `${r.action} ${r.actor}`),
          };
        });
        expect(roles.account).toEqual(["writer"]);
        expect(roles.actions.slice(0, 3)).toEqual([
          "login lan",
          "password.set lan",
          "staff.add thu",
        ]);
        expect([...admin.errors, ...newcomer.errors]).toEqual([]);
        expect([...admin.dialogs, ...newcomer.dialogs]).toEqual([]);
      } finally {
        await admin.context.close();
        await newcomer.context.close();
      }
    },
    TEST_MS,
  );
});
