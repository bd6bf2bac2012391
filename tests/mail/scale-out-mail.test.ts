/**
 * Scale-out: several processes' senders (each its own connection pool) empty
 * one PostgreSQL outbox through a real SMTP server, and every message
 * arrives exactly once.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createMailQueue } from "../../src/mail/queue.ts";
import { type MailSender, startMailSender } from "../../src/mail/sender.ts";
import { smtpTransport } from "../../src/mail/smtp.ts";
import { openStorage, type Storage } from "../../src/storage/open.ts";
import { freePort } from "../helpers/ports.ts";
import { postgresUrl } from "../helpers/postgres.ts";
import { startSmtp } from "../helpers/smtp.ts";
import { tempDir } from "../storage/backends.ts";
import { until } from "./newsroom-mail.ts";

const pg = await postgresUrl();
const opened: Storage[] = [];
const senders: MailSender[] = [];
afterAll(async () => {
  for (const sender of senders) await sender.stop();
  for (const storage of opened) await storage.close();
});

describe.skipIf(pg === null)("three senders on one PostgreSQL outbox", () => {
  it("send every message exactly once", { timeout: 90_000 }, async () => {
    const smtp = await startSmtp(await freePort());
    const clock = () => new Date();
    for (let i = 0; i < 3; i++) {
      opened.push(await openStorage({ dataDir: tempDir(), databaseUrl: pg ?? "" }));
    }
    const [first] = opened;
    if (!first) throw new Error("no store");
    const queue = createMailQueue({ store: first.store, clock });
    for (let n = 0; n < 30; n++) {
      await queue.enqueue({ to: `bientap${n}@cualo.example`, subject: `Bài ${n}`, text: "x" });
    }
    for (const storage of opened) {
      const transport = smtpTransport({
        url: new URL(`smtp://127.0.0.1:${smtp.port}`),
        from: "toasoan@cualo.example",
      });
      senders.push(
        startMailSender({ store: storage.store, send: transport.send, clock, pollMs: 20 }),
      );
    }
    await until(async () => (await first.store.countPendingMail()) === 0, 60_000);
    const to = smtp.received.flatMap((m) => m.to);
    expect(to).toHaveLength(30);
    expect(new Set(to).size).toBe(30);
    await smtp.close();
  });
});
