/**
 * Debian's Chromium driven by playwright-core, as `tests/newsroom/browser.test.ts`
 * launches it: one browser a file, a fresh context a test, every dialog,
 * console error and uncaught exception recorded, and axe-core's WCAG 2.1 AA
 * rules run on a page.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
const AXE = resolve(import.meta.dirname, "../../node_modules/axe-core/axe.min.js");

/** Generous for a loaded 2-core machine; every wait is for something, never a sleep. */
export const WAIT_MS = 30_000;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

export interface Watched {
  context: BrowserContext;
  page: Page;
  dialogs: string[];
  /** Console errors (a CSP violation is one) and uncaught exceptions. */
  errors: string[];
}

/** A fresh context whose requests to anything but `origin` are refused. */
export async function openPage(
  browser: Browser,
  origin: string,
  options: { javaScriptEnabled?: boolean; bypassCSP?: boolean; width?: number } = {},
): Promise<Watched> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    bypassCSP: options.bypassCSP ?? false,
    viewport: { width: options.width ?? 1024, height: 900 },
  });
  await context.route(
    (url) => url.origin !== origin,
    (route) => route.abort(),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const watched: Watched = { context, page, dialogs: [], errors: [] };
  page.on("dialog", (dialog) => {
    watched.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("console", (message) => {
    if (message.type() === "error") watched.errors.push(message.text());
  });
  page.on("pageerror", (error) => watched.errors.push(error.message));
  return watched;
}

/** axe-core's WCAG 2.1 A and AA rules, each violation as its rule and the elements at fault. */
const AXE_RUN = `axe
  .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
  .then((result) => result.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target) })))`;

/** The WCAG 2.1 AA violations on the page as it is (the context must bypass the CSP). */
export async function axeViolations(page: Page): Promise<{ id: string; targets: unknown[] }[]> {
  await page.addScriptTag({ path: AXE });
  return await page.evaluate<{ id: string; targets: unknown[] }[]>(AXE_RUN);
}

/** Whether the page scrolls sideways (the form must not, on a 390 px phone). */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate<boolean>(
    "document.documentElement.scrollWidth > document.documentElement.clientWidth",
  );
}
