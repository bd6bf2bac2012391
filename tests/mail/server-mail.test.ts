/**
 * The real server with `SMTP_URL` set (main.ts's wiring), over real HTTP on
 * loopback: a writer's submission reaches the editors through a mail server
 * that asks for the user and password the URL carries percent-encoded, and
 * the publication reaches the writer.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { hashPassword } from "../../src/newsroom/password.ts";
import { openStorage } from "../../src/storage/open.ts";
import { makeContentDir, type TempContent } from "../fixtures/content/make-dir.ts";
import { sendFrom, staffClient } from "../helpers/newsroom.ts";
import { freePort } from "../helpers/ports.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { type SmtpServer, startSmtp } from "../helpers/smtp.ts";
import { ARTICLE, submitNew, until } from "./newsroom-mail.ts";

const TEST_MS = 120_000;
const PASSWORD = "mật khẩu đủ dài 2021";
const AUTH = { user: "loa@cualo.example", pass: "p@ss:w/rd" };

let content: TempContent;
let smtp: SmtpServer;
let server: TestServer;

beforeAll(async () => {
  content = await makeContentDir({});
  smtp = await startSmtp(await freePort(), AUTH);
  const user = encodeURIComponent(AUTH.user);
  const pass = encodeURIComponent(AUTH.pass);
  server = await startServer({
    contentDir: content.dir,
    env: {
      SMTP_URL: `smtp://${user}:${pass}@127.0.0.1:${smtp.port}`,
      NEWSROOM_MAIL_FROM: "toasoan@cualo.example",
      DELIVERY_THREADS: "0",
    },
  });
  const storage = await openStorage({ dataDir: server.dataDir, databaseUrl: undefined });
  try {
    const passwordHash = await hashPassword(PASSWORD);
    for (const [username, roles, email] of [
      ["lan", ["writer"], "lan@cualo.example"],
      ["hung", ["editor"], "hung@cualo.example"],
    ] as const) {
      await storage.store.putStaff({
        username,
        passwordHash,
        createdAt: new Date(),
        roles: [...roles],
        email,
      });
    }
  } finally {
    await storage.close();
  }
}, TEST_MS);

afterAll(async () => {
  await server?.cleanup();
  await smtp?.close();
  await content?.cleanup();
});

it(
  "the submission reaches the editor and the publication the writer, through an authenticating server",
  async () => {
    const writer = staffClient(sendFrom(server.origin));
    expect((await writer.login("lan", PASSWORD)).status).toBe(303);
    const path = await submitNew(writer);
    await until(() => smtp.received.length >= 1);
    const notice = smtp.received[0];
    expect(notice?.to).toEqual(["hung@cualo.example"]);
    expect(notice?.from).toBe("toasoan@cualo.example");
    expect(notice?.subject).toBe(`Bài chờ duyệt: ${ARTICLE.title}`);
    expect(notice?.text).toContain(`${server.origin}${path}`);

    const editor = staffClient(sendFrom(server.origin));
    expect((await editor.login("hung", PASSWORD)).status).toBe(303);
    const csrf = await editor.csrfToken();
    const published = await editor.post(path, {
      csrf,
      ...ARTICLE,
      revision: "1",
      action: "publish",
    });
    expect(published.status).toBe(303);
    await until(() => smtp.received.length >= 2);
    expect(smtp.received[1]?.to).toEqual(["lan@cualo.example"]);
    expect(smtp.received[1]?.subject).toBe(`Bài đã đăng: ${ARTICLE.title}`);
    expect(smtp.received).toHaveLength(2);
  },
  TEST_MS,
);
