/**
 * Debian's Chromium driven by playwright-core, as the browser tests use it:
 * one browser a file, a fresh context a test, every dialog, console error and
 * uncaught exception recorded; the steps a staff member takes again and again
 * (logging in through the form, filling and sending forms, reading the
 * notice); and axe-core's WCAG 2.1 AA rules run on a page.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
} from "playwright-core";
import { makeContentDir } from "../fixtures/content/make-dir.ts";
import { addStaff } from "./newsroom.ts";
import { startServer, type TestServer } from "./server.ts";

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
const AXE = resolve(import.meta.dirname, "../../node_modules/axe-core/axe.min.js");

/** Generous for a loaded 2-core machine; every wait is for something, never a sleep. */
export const WAIT_MS = 30_000;

/** Says in the test output why a browser test file is skipped where Chromium is missing. */
export function warnIfNoChromium(file: string): void {
  if (!hasChromium) {
    console.warn(
      `${file} skipped: ${CHROMIUM} is missing (Debian's chromium package; .ci/run installs it)`,
    );
  }
}

/** Debian's Chromium, headless, with nothing of its own reaching the network. */
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

/** A staff account to add before the browser logs in (roles: `addStaff`'s default, admin). */
export interface StaffAccount {
  username: string;
  password: string;
  roles?: readonly string[];
}

export interface NewsroomInChromium {
  server: TestServer;
  browser: Browser;
  /** Closes the browser, stops the server and removes its directories and the content. */
  close(): Promise<void>;
}

/** The real server on a fresh content directory holding `files`, with `staff` added, and Chromium launched. */
export async function startNewsroomInChromium(
  files: Record<string, string | Uint8Array>,
  staff: readonly StaffAccount[],
): Promise<NewsroomInChromium> {
  const content = await makeContentDir(files);
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.cleanup();
    await content.cleanup();
  };
  try {
    server = await startServer({ contentDir: content.dir });
    for (const account of staff) {
      await addStaff(server.dataDir, account.username, account.password, account.roles);
    }
    browser = await launchChromium();
    return { server, browser, close };
  } catch (error) {
    // A half-started newsroom leaves no process or directory behind.
    await close();
    throw error;
  }
}

export interface Watched {
  context: BrowserContext;
  page: Page;
  dialogs: string[];
  /** Console errors (a CSP violation is one) and uncaught exceptions. */
  errors: string[];
}

export interface PageOptions {
  javaScriptEnabled?: boolean;
  /** Only a context that bypasses the CSP lets the injected axe-core run. */
  bypassCSP?: boolean;
  width?: number;
  /** Answer requests elsewhere (remote authors' avatars) with {@link PIXEL} instead of refusing them. */
  pixelsElsewhere?: boolean;
}

/** 1×1 transparent PNG: a picture that never leaves loopback. */
export const PIXEL = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

/** A fresh context whose requests to anything but `origin` are refused. */
export async function openPage(
  browser: Browser,
  origin: string,
  options: PageOptions = {},
): Promise<Watched> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    bypassCSP: options.bypassCSP ?? false,
    viewport: { width: options.width ?? 1024, height: 900 },
  });
  await context.route(
    (url) => url.origin !== origin,
    (route) =>
      options.pixelsElsewhere
        ? route.fulfill({ status: 200, contentType: "image/png", body: PIXEL })
        : route.abort(),
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

/** Runs `use` on a fresh {@link openPage} page, and closes its context however `use` ends. */
export async function withPage<T>(
  browser: Browser,
  origin: string,
  options: PageOptions,
  use: (watched: Watched) => Promise<T>,
): Promise<T> {
  const watched = await openPage(browser, origin, options);
  try {
    return await use(watched);
  } finally {
    await watched.context.close();
  }
}

/** Where a form may lead: what `page.waitForURL` takes. */
export type Destination = Parameters<Page["waitForURL"]>[0];

/** Types each value into the field its selector names, in order. */
export async function fillIn(page: Page, fields: Readonly<Record<string, string>>): Promise<void> {
  for (const [selector, value] of Object.entries(fields)) await page.fill(selector, value);
}

/**
 * Presses a form's button (a locator, or the exact name of a button on the page) and
 * waits for `arrivesAt`, or without it for the next page to load.
 */
export async function submitForm(
  page: Page,
  button: Locator | string,
  arrivesAt?: Destination,
): Promise<void> {
  const pressed =
    typeof button === "string" ? page.getByRole("button", { name: button, exact: true }) : button;
  await Promise.all([
    arrivesAt === undefined ? page.waitForEvent("load") : page.waitForURL(arrivesAt),
    pressed.click(),
  ]);
}

/** Fills in the login form on screen and sends it; done on the newsroom's first page. */
export async function submitLogin(
  page: Page,
  origin: string,
  username: string,
  password: string,
): Promise<void> {
  await fillIn(page, { "#username": username, "#password": password });
  await submitForm(page, page.locator("button.primary"), `${origin}/admin/`);
}

/** Opens the newsroom, is sent to the login form, and logs in; done on the first page. */
export async function logInAs(
  page: Page,
  origin: string,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(`${origin}/admin/`);
  await page.waitForURL(`${origin}/admin/login`);
  await submitLogin(page, origin, username, password);
}

/** Waits for the page's notice line (`role="status"`) to say `text`. */
export async function readNotice(page: Page, text: string | RegExp): Promise<void> {
  await page.getByRole("status").filter({ hasText: text }).waitFor();
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
