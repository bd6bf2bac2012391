/**
 * The review path's e-mail against real mail servers on loopback: editors
 * hear of a submission, the writer of a return (with the comment) and of a
 * publication; a mail server that hangs or refuses never holds up a staff
 * action, and what it did not take is retried until it does, or given up on
 * after the last attempt; a restart sends what was queued before it.
 */
import { configure, type LogRecord, reset } from "@logtape/logtape";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ARTICLE_PATHS } from "../../src/newsroom/pages/paths.ts";
import { freePort } from "../helpers/ports.ts";
import { type SmtpServer, startSilent, startSmtp } from "../helpers/smtp.ts";
import { tempDir } from "../storage/backends.ts";
import {
  ARTICLE,
  FROM,
  type MailedNewsroom,
  mailedNewsroom,
  ORIGIN,
  submitNew,
  until,
} from "./newsroom-mail.ts";

const TEST_MS = 90_000;
const logs: LogRecord[] = [];

beforeAll(async () => {
  await configure({
    reset: true,
    sinks: { memory: (record) => void logs.push(record) },
    loggers: [
      { category: ["loa", "mail"], lowestLevel: "debug", sinks: ["memory"] },
      { category: ["logtape", "meta"], lowestLevel: "error", sinks: [] },
    ],
  });
});
afterAll(async () => {
  await reset();
});

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});
function track<T extends { close(): Promise<void> }>(thing: T): T {
  open.push(thing);
  return thing;
}

const EDITORS = ["hung@cualo.example", "thu@cualo.example"];
const recipients = (server: SmtpServer) => server.received.flatMap((m) => m.to).sort();
const logged = (level: LogRecord["level"], text: string) =>
  logs.some((r) => r.level === level && r.message.join("").includes(text));

async function settled(app: MailedNewsroom) {
  await until(async () => (await app.storage.store.countPendingMail()) === 0);
}

async function action(
  app: MailedNewsroom,
  username: string,
  path: string,
  fields: Record<string, string>,
) {
  const client = await app.signedInAs(username);
  const csrf = await client.csrfToken();
  return await client.post(path, { csrf, ...fields });
}

describe("review notices by e-mail", () => {
  it(
    "editors hear of a submission, the writer of a return with its comment and of the publication",
    async () => {
      const smtp = track(await startSmtp(await freePort()));
      const app = track(await mailedNewsroom({ smtpPort: smtp.port, dataDir: tempDir() }));
      const path = await submitNew(await app.signedInAs("lan"));
      const link = `${ORIGIN}${path}`;
      await until(() => smtp.received.length >= 2);
      await settled(app);
      // Every editor and admin with an address, once; not the writer, the moderator or khoa (no address).
      expect(recipients(smtp)).toEqual(EDITORS);
      for (const message of smtp.received) {
        expect(message.from).toBe(FROM);
        expect(message.headers.from).toContain(FROM);
        expect(message.headers.to).toBe(message.to[0]);
        expect(message.subject).toBe(`Bài chờ duyệt: ${ARTICLE.title}`);
        expect(message.text).toContain(`lan vừa gửi bài “${ARTICLE.title}” để duyệt.`);
        expect(message.text).toContain(link);
      }

      smtp.received.length = 0;
      const comment = "Thêm giờ tiếp dân và ghi rõ phòng họp.";
      const returned = await action(app, "hung", path, {
        revision: "1",
        action: "return",
        comment,
      });
      expect(returned.status).toBe(303);
      await until(() => smtp.received.length >= 1);
      await settled(app);
      expect(recipients(smtp)).toEqual(["lan@cualo.example"]);
      expect(smtp.received[0]?.subject).toBe(`Bài được trả lại: ${ARTICLE.title}`);
      expect(smtp.received[0]?.text).toContain(comment);
      expect(smtp.received[0]?.text).toContain(link);
      expect(smtp.received[0]?.text).toContain("hung");

      // The writer changes it and submits again: the editors hear again.
      smtp.received.length = 0;
      const again = await action(app, "lan", path, {
        ...ARTICLE,
        body: `${ARTICLE.body}\n\nPhòng họp số 2.`,
        revision: "1",
        action: "submit",
      });
      expect(again.status).toBe(303);
      await until(() => smtp.received.length >= 2);
      await settled(app);
      expect(recipients(smtp)).toEqual(EDITORS);

      smtp.received.length = 0;
      const published = await action(app, "thu", path, {
        ...ARTICLE,
        revision: "2",
        action: "publish",
      });
      expect(published.status).toBe(303);
      await until(() => smtp.received.length >= 1);
      await settled(app);
      expect(recipients(smtp)).toEqual(["lan@cualo.example"]);
      expect(smtp.received[0]?.subject).toBe(`Bài đã đăng: ${ARTICLE.title}`);
      expect(smtp.received[0]?.text).toContain(link);
      expect(logged("info", "Sent mail")).toBe(true);
    },
    TEST_MS,
  );

  it(
    "speaks the site's language",
    async () => {
      const smtp = track(await startSmtp(await freePort()));
      const app = track(
        await mailedNewsroom({ smtpPort: smtp.port, dataDir: tempDir(), language: "en-GB" }),
      );
      const path = await submitNew(await app.signedInAs("lan"));
      await until(() => smtp.received.length >= 2);
      expect(smtp.received[0]?.subject).toBe(`Waiting for review: ${ARTICLE.title}`);
      expect(smtp.received[0]?.text).toContain(`Review it: ${ORIGIN}${path}`);
    },
    TEST_MS,
  );
});

describe("a mail server that hangs or refuses", () => {
  it(
    "a hung server holds no request: submit and publish answer while it keeps the connection silent",
    async () => {
      const port = await freePort();
      const silent = track(await startSilent(port));
      // Waits far longer than the test: an action that waited for the mail would never answer.
      const app = track(
        await mailedNewsroom({ smtpPort: port, dataDir: tempDir(), timeoutMs: 600_000 }),
      );
      const path = await submitNew(await app.signedInAs("lan"));
      const page = await (await app.signedInAs("hung")).get(path);
      expect(await page.text()).toContain("Chờ duyệt");
      await until(() => silent.connections >= 1);
      const published = await action(app, "hung", path, {
        ...ARTICLE,
        revision: "1",
        action: "publish",
      });
      expect(published.status).toBe(303);
      const id = decodeURIComponent(path.split("/").pop() ?? "");
      expect((await app.storage.store.getArticle(id))?.state).toBe("published");
      // Two editor notices and the writer's, all still waiting for the silent server.
      expect(await app.storage.store.countPendingMail()).toBe(3);
    },
    TEST_MS,
  );

  it(
    "what a hung server did not take is retried and delivered once the server works",
    async () => {
      const port = await freePort();
      const silent = await startSilent(port);
      const app = track(await mailedNewsroom({ smtpPort: port, dataDir: tempDir() }));
      const path = await submitNew(await app.signedInAs("lan"));
      expect(path).toMatch(new RegExp(`^${ARTICLE_PATHS.list}/`));
      // Timed out and tried again: more connections than messages.
      await until(() => silent.connections >= 3);
      expect(logged("warning", "not sent")).toBe(true);
      await silent.close();
      const smtp = track(await startSmtp(port));
      await until(() => smtp.received.length >= 2);
      await settled(app);
      expect(recipients(smtp)).toEqual(EDITORS);
    },
    TEST_MS,
  );

  it(
    "a refusing server: the action succeeds, the refusal is logged and retried, each editor gets one message",
    async () => {
      const smtp = track(await startSmtp(await freePort()));
      smtp.refusing = true;
      const app = track(await mailedNewsroom({ smtpPort: smtp.port, dataDir: tempDir() }));
      const path = await submitNew(await app.signedInAs("lan"));
      expect(path).not.toBe("");
      await until(() => smtp.refusals >= 4);
      expect(smtp.received).toEqual([]);
      expect(logged("warning", "not sent")).toBe(true);
      smtp.refusing = false;
      await until(() => smtp.received.length >= 2);
      await settled(app);
      expect(recipients(smtp)).toEqual(EDITORS);
    },
    TEST_MS,
  );

  it(
    "after the last attempt a message is kept as failed and the failure logged",
    async () => {
      const smtp = track(await startSmtp(await freePort()));
      smtp.refusing = true;
      const app = track(
        await mailedNewsroom({ smtpPort: smtp.port, dataDir: tempDir(), attempts: 2 }),
      );
      await submitNew(await app.signedInAs("lan"));
      await until(async () => (await app.storage.store.listFailedMail(10)).length === 2);
      const failed = await app.storage.store.listFailedMail(10);
      expect(failed.map((m) => m.to).sort()).toEqual(EDITORS);
      expect(failed.every((m) => m.attempts === 2 && m.lastError.includes("451"))).toBe(true);
      expect(await app.storage.store.countPendingMail()).toBe(0);
      expect(logged("error", "Gave up on mail")).toBe(true);
    },
    TEST_MS,
  );
});

describe("a restart", () => {
  it(
    "sends what was queued before it",
    async () => {
      const port = await freePort();
      const dataDir = tempDir();
      // No mail server at all yet: connections are refused.
      const before = await mailedNewsroom({ smtpPort: port, dataDir });
      await submitNew(await before.signedInAs("lan"));
      expect(await before.storage.store.countPendingMail()).toBe(2);
      await before.close();
      const smtp = track(await startSmtp(port));
      const after = track(await mailedNewsroom({ smtpPort: port, dataDir, addStaff: false }));
      await until(() => smtp.received.length >= 2);
      await settled(after);
      expect(recipients(smtp)).toEqual(EDITORS);
    },
    TEST_MS,
  );
});
