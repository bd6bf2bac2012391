/**
 * The newsroom's routes in process with mail on: a real SQLite store, the
 * real article service told by the real notices, and the real outbox sender
 * talking SMTP to a server on loopback. Waits are short so retries happen
 * within a test; what is checked is what the mail server receives.
 */
import { Hono } from "hono";
import { type Mail, startMail } from "../../src/mail/index.ts";
import { createArticleService } from "../../src/newsroom/articles/service.ts";
import { newsroomRoutes } from "../../src/newsroom/http/index.ts";
import { ARTICLE_PATHS } from "../../src/newsroom/pages/paths.ts";
import { hashPassword } from "../../src/newsroom/password.ts";
import { openStorage, type Storage } from "../../src/storage/open.ts";
import type { StaffRole } from "../../src/storage/staff.ts";
import { createUrls } from "../../src/urls.ts";
import { fixtureArticles, fixtureSite } from "../fixtures/articles.ts";
import { type StaffClient, staffClient } from "../helpers/newsroom.ts";

export const ORIGIN = "https://cualo.example";
export const FROM = "toasoan@cualo.example";
export const PASSWORD = "mật khẩu đủ dài 2021";

/** The newsroom's staff: who has which roles and which address. */
export const STAFF: { username: string; roles: StaffRole[]; email: string | null }[] = [
  { username: "lan", roles: ["writer"], email: "lan@cualo.example" },
  { username: "hung", roles: ["editor"], email: "hung@cualo.example" },
  { username: "thu", roles: ["admin"], email: "thu@cualo.example" },
  { username: "khoa", roles: ["editor"], email: null },
  { username: "vy", roles: ["moderator"], email: "vy@cualo.example" },
];

export interface MailedNewsroom {
  storage: Storage;
  mail: Mail;
  signedInAs(username: string): Promise<StaffClient>;
  /** Stops the sender and closes the store (what is queued stays). */
  close(): Promise<void>;
}

export interface MailedNewsroomOptions {
  smtpPort: number;
  dataDir: string;
  language?: string;
  /** Attempts before giving up (default 50: the tests that need it make the server work). */
  attempts?: number;
  /** False: the accounts exist already (a restart). */
  addStaff?: boolean;
  /** Bound on each wait for the mail server (default 300 ms: retries come quickly). */
  timeoutMs?: number;
}

export async function mailedNewsroom(options: MailedNewsroomOptions): Promise<MailedNewsroom> {
  const storage = await openStorage({ dataDir: options.dataDir, databaseUrl: undefined });
  if (options.addStaff !== false) {
    const passwordHash = await hashPassword(PASSWORD);
    for (const member of STAFF) {
      await storage.store.putStaff({
        username: member.username,
        passwordHash,
        createdAt: new Date("2021-03-01T00:00:00Z"),
        roles: member.roles,
        email: member.email,
      });
    }
  }
  const site = { ...fixtureSite, language: options.language ?? fixtureSite.language };
  const snapshot = { site, articles: fixtureArticles, problems: [], brokenFiles: [], drafts: [] };
  const clock = () => new Date();
  const mail = startMail({
    config: { smtpUrl: new URL(`smtp://127.0.0.1:${options.smtpPort}`), mailFrom: FROM },
    store: storage.store,
    clock,
    articleUrl: (id) => new URL(ARTICLE_PATHS.edit(id), ORIGIN).href,
    site: () => site,
    retry: { initialMs: 100, maxMs: 400, attempts: options.attempts ?? 50 },
    timeoutMs: options.timeoutMs ?? 300,
    pollMs: 100,
  });
  const articles = createArticleService({
    store: storage.store,
    clock,
    content: { current: () => snapshot },
    pictures: async () => null,
    ...(mail.notify ? { notify: mail.notify } : {}),
  });
  const routes = newsroomRoutes({
    store: storage.store,
    conversations: { changed: () => {} },
    clock,
    config: { origin: new URL(ORIGIN) },
    content: { current: () => snapshot },
    urls: createUrls(new URL(ORIGIN)),
    articles,
    mail: mail.queue,
  });
  const app = new Hono().route("/", routes);
  const send = async (path: string, init?: RequestInit) => await app.request(path, init);
  return {
    storage,
    mail,
    async signedInAs(username) {
      const client = staffClient(send);
      const res = await client.login(username, PASSWORD);
      if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
      return client;
    },
    async close() {
      await mail.stop();
      await storage.close();
    },
  };
}

export const ARTICLE = {
  title: "Lịch tiếp dân tháng 4",
  summary: "Lịch tiếp công dân của Ủy ban.",
  body: "## Thứ Hai\n\n- Phường Nghi Hòa",
  tags: "tiếp dân",
  author: "Văn phòng",
  language: "vi",
  published: "",
  slug: "",
  image: "",
  image_alt: "",
};

/** The writer creates and submits an article; its newsroom path. */
export async function submitNew(writer: StaffClient, title = ARTICLE.title): Promise<string> {
  const csrf = await writer.csrfToken();
  const res = await writer.post(ARTICLE_PATHS.create, {
    csrf,
    ...ARTICLE,
    title,
    action: "submit",
  });
  if (res.status !== 303) throw new Error(`submit answered ${res.status}`);
  return (res.headers.get("location") ?? "").split("?")[0] ?? "";
}

/** Polls until `predicate` holds; throws after `timeoutMs` (generous: the machine is slow). */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
