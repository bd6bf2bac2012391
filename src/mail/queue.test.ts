/**
 * What the queue lets through to a real SMTP server on loopback: one
 * recipient a message, no header smuggled in by a subject, bounded sizes;
 * and the texts in the site's language, Vietnamese when there is none.
 */
import { afterEach, expect, it } from "vitest";
import { freePort } from "../../tests/helpers/ports.ts";
import { type SmtpServer, startSmtp } from "../../tests/helpers/smtp.ts";
import { tempDir } from "../../tests/storage/backends.ts";
import { openStorage, type Storage } from "../storage/open.ts";
import { createMailQueue, MAX_MAIL_TEXT } from "./queue.ts";
import { type MailSender, startMailSender } from "./sender.ts";
import { smtpTransport } from "./smtp.ts";
import { noticeText } from "./texts.ts";

let storage: Storage;
let smtp: SmtpServer;
let sender: MailSender;
afterEach(async () => {
  await sender?.stop();
  await smtp?.close();
  await storage?.close();
});

async function until(predicate: () => boolean | Promise<boolean>) {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > 30_000) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

it("sends one message to one address; a smuggled header or recipient list goes nowhere", async () => {
  storage = await openStorage({ dataDir: tempDir(), databaseUrl: undefined });
  smtp = await startSmtp(await freePort());
  const clock = () => new Date();
  const transport = smtpTransport({
    url: new URL(`smtp://127.0.0.1:${smtp.port}`),
    from: "toasoan@cualo.example",
  });
  sender = startMailSender({ store: storage.store, send: transport.send, clock, pollMs: 50 });
  const queue = createMailQueue({ store: storage.store, clock, enqueued: sender.wake });
  await queue.enqueue({ to: "a@cualo.example, b@evil.example", subject: "x", text: "x" });
  await queue.enqueue({ to: "a@cualo.example\r\nBcc: b@evil.example", subject: "x", text: "x" });
  await queue.enqueue({
    to: "lan@cualo.example",
    subject: "Bài chờ duyệt\r\nBcc: b@evil.example",
    text: "ư".repeat(MAX_MAIL_TEXT + 1000),
  });
  await until(() => smtp.received.length >= 1);
  await until(async () => (await storage.store.countPendingMail()) === 0);
  expect(smtp.received.map((m) => m.to)).toEqual([["lan@cualo.example"]]);
  const [message] = smtp.received;
  expect(message?.headers.bcc).toBeUndefined();
  expect(message?.subject).toBe("Bài chờ duyệt Bcc: b@evil.example");
  expect(message?.text).toBe("ư".repeat(MAX_MAIL_TEXT));
});

it("speaks the site's language by its primary subtag, and Vietnamese when it has no texts", () => {
  const facts = {
    kind: "return" as const,
    title: "Lịch tiếp dân",
    actor: "hung",
    comment: "Thêm giờ.",
    scheduled: false,
    link: "https://cualo.example/admin/articles/1",
    site: "Cửa Lò",
  };
  expect(noticeText("en-GB", facts).subject).toBe("Returned to you: Lịch tiếp dân");
  expect(noticeText("vi-VN", facts).subject).toBe("Bài được trả lại: Lịch tiếp dân");
  expect(noticeText("fr", facts).subject).toBe("Bài được trả lại: Lịch tiếp dân");
  expect(noticeText("en", facts).text).toContain("Thêm giờ.");
});
