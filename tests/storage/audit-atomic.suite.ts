import { expect, it } from "vitest";
import type { AuditEntry } from "../../src/storage/audit.ts";
import type { Block } from "../../src/storage/interactions.ts";
import { type Backend, withStore } from "./backends.ts";
import { reply } from "./interaction-fixtures.ts";
import { picture } from "./pictures.suite.ts";

const AT = new Date(Date.UTC(2024, 5, 1, 9, 0));

function entry(action: string, subject: string): AuditEntry {
  return {
    at: AT,
    actor: "kiem",
    action,
    subject,
    outcome: "ok",
    address: "203.0.113.7",
    detail: null,
  };
}

/**
 * A record the database refuses (its action is NOT NULL): written after the
 * change in the same transaction, it makes the change roll back too.
 */
function refusedEntry(subject: string): AuditEntry {
  return { ...entry("x", subject), action: null as unknown as string };
}

const block = (kind: Block["kind"], value: string): Block => ({
  kind,
  value,
  createdAt: AT,
  by: "kiem",
});

/** Moderation decisions, blocks and pictures write their audit record in their own transaction. */
export function auditAtomicSuite(backend: Backend): void {
  it("writes a decision and its record together; a failing record leaves neither", async () => {
    await withStore(backend, async (store) => {
      const r = reply(1, { state: "pending" });
      await store.putInteraction(r);
      await expect(store.setModeration(r.id, "approved", refusedEntry(r.id))).rejects.toThrow();
      expect((await store.getInteraction(r.id))?.state).toBe("pending");
      expect((await store.listAudit({ limit: 10 })).items).toEqual([]);

      expect(await store.setModeration(r.id, "approved", entry("reply.approve", r.id))).toBe(true);
      expect((await store.getInteraction(r.id))?.state).toBe("approved");
      // No such reply: nothing decided, nothing recorded.
      expect(
        await store.setModeration(
          "https://social.example/none",
          "rejected",
          entry("reply.reject", "none"),
        ),
      ).toBe(false);
      const records = (await store.listAudit({ limit: 10 })).items;
      expect(records.map((x) => [x.action, x.subject, x.actor])).toEqual([
        ["reply.approve", r.id, "kiem"],
      ]);
    });
  });

  it("writes a block, and its lifting, with their records; a failing record leaves neither", async () => {
    await withStore(backend, async (store) => {
      const bot = "https://spam.example/users/bot";
      await expect(store.addBlock(block("actor", bot), refusedEntry(bot))).rejects.toThrow();
      await expect(
        store.addBlock(block("domain", "spam.example"), refusedEntry("spam.example")),
      ).rejects.toThrow();
      expect(await store.listBlocks()).toEqual([]);
      expect(await store.isBlocked(bot)).toBe(false);
      expect((await store.listAudit({ limit: 10 })).items).toEqual([]);

      expect(await store.addBlock(block("actor", bot), entry("block.actor", bot))).toBe(true);
      await expect(store.removeBlock("actor", bot, refusedEntry(bot))).rejects.toThrow();
      expect(await store.isBlocked(bot)).toBe(true);
      expect(await store.removeBlock("actor", bot, entry("unblock.actor", bot))).toBe(true);
      // Nothing to lift: nothing recorded.
      expect(await store.removeBlock("actor", bot, entry("unblock.actor", bot))).toBe(false);
      const records = (await store.listAudit({ limit: 10 })).items;
      expect(records.map((x) => x.action)).toEqual(["unblock.actor", "block.actor"]);
    });
  });

  it("writes an upload, and an alt text, with their records; a failing record leaves neither", async () => {
    await withStore(backend, async (store) => {
      const p = picture(1);
      await expect(store.putPicture(p, refusedEntry(p.id))).rejects.toThrow();
      expect(await store.getPicture(p.id)).toBeNull();
      expect(await store.getRendition(p.id, p.renditions[0]?.name ?? "")).toBeNull();
      await store.putPicture(p, entry("media.upload", p.id));
      await expect(store.setPictureAlt(p.id, "Mô tả mới", refusedEntry(p.id))).rejects.toThrow();
      expect((await store.getPicture(p.id))?.alt).toBe(p.alt);
      expect(await store.setPictureAlt(p.id, "Mô tả mới", entry("media.alt", p.id))).toBe(true);
      expect(await store.setPictureAlt("none", "x", entry("media.alt", "none"))).toBe(false);
      const records = (await store.listAudit({ limit: 10 })).items;
      expect(records.map((x) => [x.action, x.subject])).toEqual([
        ["media.alt", p.id],
        ["media.upload", p.id],
      ]);
    });
  });
}
