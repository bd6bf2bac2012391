import { expect, it } from "vitest";
import type { OutboxMail } from "../../src/storage/outbox.ts";
import { type Backend, withStore } from "./backends.ts";

const T0 = Date.UTC(2024, 6, 1, 8, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const LEASE = 60_000;

function mail(n: number): Omit<OutboxMail, "attempts"> {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    to: `bientap${n}@cualo.example`,
    subject: `Bài chờ duyệt: Lịch tiếp dân ${n}`,
    text: `Xem và duyệt bài: https://cualo.example/admin/articles/${n}\n— Tòa soạn`,
    createdAt: at(n),
  };
}

/** The behaviour every {@link Store} shows for the mail outbox. */
export function outboxSuite(backend: Backend): void {
  it("keeps a message and hands it to one claimer, in order, with its text intact", async () => {
    await withStore(backend, async (store) => {
      await store.enqueueMail(mail(2));
      await store.enqueueMail(mail(1));
      expect(await store.countPendingMail()).toBe(2);
      const first = await store.claimMail("a", at(10), LEASE, 1);
      expect(first).toEqual([{ ...mail(1), attempts: 1 }]);
      // Leased: another claimer gets the other one, then nothing.
      expect((await store.claimMail("b", at(10), LEASE, 5)).map((m) => m.id)).toEqual([mail(2).id]);
      expect(await store.claimMail("c", at(11), LEASE, 5)).toEqual([]);
      // Only the holder marks it sent; then it is gone.
      expect(await store.markMailSent(mail(1).id, "b")).toBe(false);
      expect(await store.markMailSent(mail(1).id, "a")).toBe(true);
      expect(await store.countPendingMail()).toBe(1);
    });
  });

  it("gives a message whose lease ran out to another claimer, and the old holder loses it", async () => {
    await withStore(backend, async (store) => {
      await store.enqueueMail(mail(1));
      expect(await store.claimMail("a", at(10), LEASE, 1)).toHaveLength(1);
      const again = await store.claimMail("b", at(10 + LEASE / 1000), LEASE, 1);
      expect(again.map((m) => [m.id, m.attempts])).toEqual([[mail(1).id, 2]]);
      expect(await store.markMailSent(mail(1).id, "a")).toBe(false);
      expect(await store.markMailSent(mail(1).id, "b")).toBe(true);
      expect(await store.countPendingMail()).toBe(0);
    });
  });

  it("retries a failed message when it is due, and keeps one given up on for the operator", async () => {
    await withStore(backend, async (store) => {
      await store.enqueueMail(mail(1));
      await store.claimMail("a", at(10), LEASE, 1);
      expect(await store.markMailFailed(mail(1).id, "a", at(100), "421 try later")).toBe(true);
      expect(await store.claimMail("a", at(99), LEASE, 1)).toEqual([]);
      const second = await store.claimMail("a", at(100), LEASE, 1);
      expect(second.map((m) => m.attempts)).toEqual([2]);
      expect(await store.markMailFailed(mail(1).id, "a", null, "x".repeat(5000))).toBe(true);
      expect(await store.claimMail("a", at(100_000), LEASE, 1)).toEqual([]);
      expect(await store.countPendingMail()).toBe(0);
      const failed = await store.listFailedMail(10);
      expect(failed.map((m) => [m.id, m.attempts, m.lastError.length])).toEqual([
        [mail(1).id, 2, 500],
      ]);
      // Kept for the operator until it is old, then forgotten; pending mail never is.
      await store.enqueueMail(mail(2));
      expect(await store.forgetFailedMail(at(1))).toBe(0);
      expect(await store.forgetFailedMail(at(3))).toBe(1);
      expect(await store.listFailedMail(10)).toEqual([]);
      expect(await store.countPendingMail()).toBe(1);
    });
  });

  it("never gives one message to two claimers racing (separate connections)", async () => {
    const target = await backend.target();
    const handles = await Promise.all([target.open(), target.open(), target.open()]);
    try {
      const [first] = handles;
      for (let n = 1; n <= 30; n++) await first?.store.enqueueMail(mail(n));
      const got = await Promise.all(
        handles.flatMap((h, i) =>
          Array.from({ length: 4 }, (_, j) => h.store.claimMail(`p${i}w${j}`, at(100), LEASE, 3)),
        ),
      );
      const ids = got.flat().map((m) => m.id);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
    } finally {
      for (const h of handles) await h.close();
    }
  });

  it("keeps what is queued across a restart", async () => {
    const target = await backend.target();
    const before = await target.open();
    await before.store.enqueueMail(mail(1));
    await before.close();
    const after = await target.open();
    try {
      expect(await after.store.claimMail("a", at(10), LEASE, 5)).toEqual([
        { ...mail(1), attempts: 1 },
      ]);
    } finally {
      await after.close();
    }
  });
}
