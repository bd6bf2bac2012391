/**
 * The newsroom's routes in process, on a real SQLite store in a temp dir,
 * with a staff account, a clock the test moves, and a record of what the
 * conversation cache was told.
 */
import { Hono } from "hono";
import type { ContentSnapshot } from "../../src/content/types.ts";
import { newsroomRoutes } from "../../src/newsroom/http/index.ts";
import { hashPassword } from "../../src/newsroom/password.ts";
import { openStorage, type Storage } from "../../src/storage/open.ts";
import type { StaffRole } from "../../src/storage/staff.ts";
import { createUrls } from "../../src/urls.ts";
import { fixtureArticles, fixtureSite } from "../fixtures/articles.ts";
import { tempDir } from "../storage/backends.ts";
import { type StaffClient, staffClient } from "./newsroom.ts";

export const ORIGIN = "https://cualo.example";
export const STAFF = { username: "thu", password: "mật khẩu đủ dài 2021" };

export interface NewsroomApp {
  storage: Storage;
  /** Every `conversations.changed(slug)` call, in order. */
  changed: (string | null)[];
  /** Moves the clock on by `ms`. */
  advance(ms: number): void;
  /** A new browser (no cookies) talking to the app. */
  browser(): StaffClient;
  /** A new browser, logged in as {@link STAFF} (an admin). */
  signedIn(): Promise<StaffClient>;
  /** A new account with `roles` (password {@link STAFF}'s), and a browser logged in to it. */
  signedInAs(username: string, roles: readonly StaffRole[]): Promise<StaffClient>;
  close(): Promise<void>;
}

export async function newsroomApp(): Promise<NewsroomApp> {
  const storage = await openStorage({ dataDir: tempDir(), databaseUrl: undefined });
  await storage.store.putStaff({
    username: STAFF.username,
    passwordHash: await hashPassword(STAFF.password),
    createdAt: new Date("2021-03-01T00:00:00Z"),
    roles: ["admin"],
  });
  let now = Date.parse("2021-03-18T10:00:00Z");
  const changed: (string | null)[] = [];
  const snapshot: ContentSnapshot = {
    site: fixtureSite,
    articles: fixtureArticles,
    problems: [],
    brokenFiles: [],
    drafts: [],
  };
  const routes = newsroomRoutes({
    store: storage.store,
    conversations: { changed: (slug) => void changed.push(slug) },
    clock: () => new Date(now),
    config: { origin: new URL(ORIGIN) },
    content: { current: () => snapshot },
    urls: createUrls(new URL(ORIGIN)),
  });
  const app = new Hono().route("/", routes);
  const send = async (path: string, init?: RequestInit) => await app.request(path, init);
  return {
    storage,
    changed,
    advance: (ms) => {
      now += ms;
    },
    browser: () => staffClient(send),
    async signedIn() {
      const client = staffClient(send);
      const res = await client.login(STAFF.username, STAFF.password);
      if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
      return client;
    },
    async signedInAs(username, roles) {
      await storage.store.putStaff({
        username,
        passwordHash: await hashPassword(STAFF.password),
        createdAt: new Date("2021-03-01T00:00:00Z"),
        roles,
      });
      const client = staffClient(send);
      const res = await client.login(username, STAFF.password);
      if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
      return client;
    },
    close: () => storage.close(),
  };
}
