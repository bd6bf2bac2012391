import { expect, it } from "vitest";
import type { Picture } from "../../src/media/picture.ts";
import type { NewPicture } from "../../src/storage/pictures.ts";
import { type Backend, withStore } from "./backends.ts";

const T0 = Date.UTC(2024, 6, 1, 8, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** Bytes that differ per picture and rendition, with every byte value (a BLOB is not text). */
function bytes(seed: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) % 256);
}

export function picture(n: number, overrides: Partial<NewPicture> = {}): NewPicture {
  return {
    id: n.toString(16).padStart(16, "0"),
    alt: `Ảnh ${n}: họp tổ dân phố`,
    uploadedBy: "thu",
    createdAt: at(n),
    format: "jpeg",
    width: 1800,
    height: 1200,
    renditions: [
      { name: "full", width: 1800, height: 1200, mediaType: "image/jpeg", data: bytes(n, 3000) },
      { name: "480", width: 480, height: 320, mediaType: "image/webp", data: bytes(n + 1, 500) },
      { name: "960", width: 960, height: 640, mediaType: "image/webp", data: bytes(n + 2, 900) },
      {
        name: "1600",
        width: 1600,
        height: 1067,
        mediaType: "image/webp",
        data: bytes(n + 3, 1500),
      },
    ],
    ...overrides,
  };
}

/** The picture as read back: no bytes, renditions narrowest first with `full` last. */
function described(p: NewPicture): Picture {
  const renditions = p.renditions
    .map(({ data: _data, ...r }) => r)
    .sort((a, b) => a.width - b.width || Number(a.name === "full") - Number(b.name === "full"));
  return { ...p, renditions };
}

/** The behaviour every {@link Store} shows for pictures and the avatar cache. */
export function picturesSuite(backend: Backend): void {
  it("stores a picture with its renditions and reads every byte back", async () => {
    await withStore(backend, async (store) => {
      const p = picture(1);
      await store.putPicture(p);
      expect(await store.getPicture(p.id)).toEqual(described(p));
      for (const r of p.renditions) {
        const got = await store.getRendition(p.id, r.name);
        expect(got?.mediaType).toBe(r.mediaType);
        expect(Buffer.from(got?.data ?? []).equals(Buffer.from(r.data))).toBe(true);
      }
      expect(await store.getRendition(p.id, "2400")).toBeNull();
      expect(await store.getRendition("ffffffffffffffff", "full")).toBeNull();
      expect(await store.getPicture("ffffffffffffffff")).toBeNull();
    });
  });

  it("refuses a second picture with the same id and keeps the first", async () => {
    await withStore(backend, async (store) => {
      await store.putPicture(picture(1));
      await expect(store.putPicture(picture(1, { alt: "khác" }))).rejects.toThrow();
      expect((await store.getPicture(picture(1).id))?.alt).toBe(picture(1).alt);
    });
  });

  it("lists pictures newest first, in pages that neither skip nor repeat", async () => {
    await withStore(backend, async (store) => {
      for (const n of [3, 1, 5, 2, 4]) await store.putPicture(picture(n));
      // Two at the same time are ordered by id.
      await store.putPicture(picture(6, { createdAt: at(5) }));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.listPictures({ cursor, limit: 2 });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((p) => p.id));
        for (const item of page.items) expect(item.renditions.at(-1)?.name).toBe("full");
        cursor = page.next;
      } while (cursor !== null);
      expect(seen).toEqual([6, 5, 4, 3, 2, 1].map((n) => picture(n).id));
      expect(await store.listPictures({ cursor: "not a cursor", limit: 2 })).toEqual({
        items: [],
        next: null,
      });
    });
  });

  it("changes the alt text, and only of a picture that exists", async () => {
    await withStore(backend, async (store) => {
      await store.putPicture(picture(1));
      expect(await store.setPictureAlt(picture(1).id, "Chợ phiên sáng chủ nhật")).toBe(true);
      expect((await store.getPicture(picture(1).id))?.alt).toBe("Chợ phiên sáng chủ nhật");
      expect(await store.setPictureAlt("ffffffffffffffff", "x")).toBe(false);
    });
  });

  it("lets one caller claim an avatar, keeps a fetched one, retries a refused one later", async () => {
    await withStore(backend, async (store) => {
      const url = "https://social.example/avatars/lan.png";
      const claims = await Promise.all(
        Array.from({ length: 8 }, () => store.claimAvatar("k1", url, at(0), 60_000)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await store.getAvatar("k1"))?.state).toBe("pending");
      // Pending and not stale: nobody else fetches it.
      expect(await store.claimAvatar("k1", url, at(0.5), 60_000)).toBe(false);
      const data = bytes(9, 700);
      await store.finishAvatar("k1", { mediaType: "image/webp", data }, at(1));
      const stored = await store.getAvatar("k1");
      expect(stored).toMatchObject({ key: "k1", url, state: "ok", mediaType: "image/webp" });
      expect(Buffer.from(stored?.data ?? []).equals(Buffer.from(data))).toBe(true);
      // A stored avatar is never fetched again.
      expect(await store.claimAvatar("k1", url, at(10_000), 60_000)).toBe(false);

      expect(await store.claimAvatar("k2", url, at(0), 60_000)).toBe(true);
      await store.finishAvatar("k2", null, at(1));
      expect(await store.getAvatar("k2")).toMatchObject({ state: "failed", data: null });
      expect(await store.claimAvatar("k2", url, at(1.5), 60_000)).toBe(false);
      expect(await store.claimAvatar("k2", url, at(2), 60_000)).toBe(true);
      // A claim left pending by a crash is taken again once stale.
      expect(await store.claimAvatar("k2", url, at(3.5), 60_000)).toBe(true);
      expect(await store.getAvatar("nothing")).toBeNull();
    });
  });

  it("keeps pictures and avatars across a restart", async () => {
    const target = await backend.target();
    const first = await target.open();
    await first.store.putPicture(picture(1));
    await first.store.claimAvatar("k1", "https://social.example/a.png", at(0), 1000);
    await first.close();
    const second = await target.open();
    try {
      expect(await second.store.getPicture(picture(1).id)).toEqual(described(picture(1)));
      expect((await second.store.getAvatar("k1"))?.state).toBe("pending");
    } finally {
      await second.close();
    }
  });

  it("deletes a picture with its renditions and its audit row, unless an article uses it", async () => {
    await withStore(backend, async (store) => {
      const used = picture(1);
      const free = picture(2);
      await store.putPicture(used);
      await store.putPicture(free);
      const fields = {
        title: "Lễ hội du lịch biển",
        summary: "",
        body: "Nội dung.",
        tags: [],
        authors: [],
        language: "vi",
        published: null,
        slug: "le-hoi",
        pinned: false,
        imageId: used.id,
        imageAlt: "",
      };
      const audit = (id: string) => ({
        at: at(9),
        actor: "thu",
        action: "media.delete",
        subject: id,
        outcome: "ok" as const,
        address: "127.0.0.1",
        detail: null,
      });
      const saved = (minutes: number) => ({
        ...audit("a1"),
        at: at(minutes),
        actor: "lan",
        action: "article.save",
      });
      await store.applyArticleChange({
        articleId: "a1",
        create: { owner: "lan", createdAt: at(5) },
        expectedLatest: 0,
        revision: { fields, savedBy: "lan", savedAt: at(5) },
        article: { state: "draft", updatedAt: at(5) },
        audit: saved(5),
      });
      expect(await store.deletePicture(used.id, audit(used.id))).toEqual({
        ok: false,
        reason: "in-use",
        articles: [{ id: "a1", title: "Lễ hội du lịch biển" }],
      });
      expect(await store.getRendition(used.id, "full")).not.toBeNull();

      expect(await store.deletePicture(free.id, audit(free.id))).toEqual({ ok: true });
      expect(await store.getPicture(free.id)).toBeNull();
      for (const r of free.renditions) expect(await store.getRendition(free.id, r.name)).toBeNull();
      expect((await store.listPictures({ limit: 10 })).items.map((p) => p.id)).toEqual([used.id]);
      expect(await store.deletePicture(free.id, audit(free.id))).toEqual({
        ok: false,
        reason: "not-found",
      });
      const records = await store.listAudit({ action: "media.delete", limit: 10 });
      expect(records.items.map((r) => [r.subject, r.outcome])).toEqual([[free.id, "ok"]]);

      // Once no revision that counts names it (a new revision without it), it may go.
      await store.applyArticleChange({
        articleId: "a1",
        expectedLatest: 1,
        revision: { fields: { ...fields, imageId: null }, savedBy: "lan", savedAt: at(10) },
        article: { state: "draft", updatedAt: at(10) },
        audit: saved(10),
      });
      expect(await store.deletePicture(used.id, audit(used.id))).toEqual({ ok: true });
    });
  });
}
