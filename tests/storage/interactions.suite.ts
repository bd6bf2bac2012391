import { describe, expect, it } from "vitest";
import type { Interaction, InteractionQuery } from "../../src/storage/interactions.ts";
import type { Store } from "../../src/storage/store.ts";
import type { Backend } from "./backends.ts";

const SLUG = "lễ-hội-cửa-lò";

/** A reply by `user` on `host` (an actor id `https://<host>/users/<user>`). */
export function reply(n: number, overrides: Partial<Interaction> = {}): Interaction {
  const actorId = overrides.author?.actorId ?? "https://social.example/users/lan";
  return {
    id: `${actorId}/statuses/${n}`,
    kind: "reply",
    author: {
      actorId,
      name: "Nguyễn Thị Lan",
      handle: "@lan@social.example",
      avatarUrl: "https://social.example/avatars/lan.png",
      profileUrl: "https://social.example/@lan",
    },
    slug: SLUG,
    inReplyTo: `https://town.example/articles/${SLUG}`,
    url: `https://social.example/@lan/${n}`,
    language: "vi",
    html: `<p>Cảm ơn phường đã thông báo (${n}).</p>`,
    visibility: "public",
    state: "approved",
    published: new Date(Date.UTC(2024, 4, 1, 8, 0, n)),
    updated: null,
    receivedAt: new Date(Date.UTC(2024, 4, 1, 8, 1, n)),
    ...overrides,
  };
}

function reaction(
  kind: "like" | "announce",
  actorId: string,
  slug: string,
  n: number,
): Interaction {
  return reply(n, {
    id: `${actorId}/${kind}s/${slug}/${n}`,
    kind,
    author: { actorId, name: null, handle: null, avatarUrl: null, profileUrl: null },
    slug,
    inReplyTo: null,
    url: null,
    language: null,
    html: null,
  });
}

function by(actorId: string): Pick<Interaction, "author"> {
  return {
    author: { actorId, name: null, handle: null, avatarUrl: null, profileUrl: null },
  };
}

async function ids(store: Store, query: InteractionQuery): Promise<string[]> {
  return (await store.listInteractions(query)).items.map((i) => i.id);
}

async function withStore(backend: Backend, fn: (store: Store) => Promise<void>): Promise<void> {
  const { store } = await (await backend.target()).open();
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

/** The behaviour every {@link Store} shows for replies, mentions, likes and boosts. */
export function interactionsSuite(backend: Backend): void {
  it("stores a reply and reads it back whole, a body over 64 KiB included", async () => {
    await withStore(backend, async (store) => {
      const big = reply(1, { html: `<p>${"Phường Cửa Lò. ".repeat(5000)}</p>` });
      expect(Buffer.byteLength(big.html ?? "")).toBeGreaterThan(64 * 1024);
      expect(await store.putInteraction(big)).toBe("created");
      expect(await store.getInteraction(big.id)).toEqual(big);
      const like = reaction("like", "https://other.example/users/binh", SLUG, 2);
      expect(await store.putInteraction(like)).toBe("created");
      expect(await store.getInteraction(like.id)).toEqual(like);
      expect(await store.getInteraction("https://social.example/nothing")).toBeNull();
    });
  });

  it("answers a re-delivery with unchanged, and an edit replaces it but keeps state and receivedAt", async () => {
    await withStore(backend, async (store) => {
      const first = reply(1, { state: "pending" });
      await store.putInteraction(first);
      // The same again, even with a refreshed author profile: nothing new.
      const again = reply(1, { state: "approved", receivedAt: new Date("2030-01-01T00:00:00Z") });
      expect(await store.putInteraction(again)).toBe("unchanged");
      expect(await store.getInteraction(first.id)).toEqual(first);

      expect(await store.setModeration(first.id, "approved")).toBe(true);
      const edited = reply(1, {
        html: "<p>Đã sửa.</p>",
        updated: new Date(Date.UTC(2024, 4, 2)),
        url: "https://social.example/@lan/1/edited",
        state: "rejected",
        receivedAt: new Date("2030-01-01T00:00:00Z"),
      });
      expect(await store.putInteraction(edited)).toBe("updated");
      expect(await store.getInteraction(first.id)).toEqual({
        ...edited,
        state: "approved",
        receivedAt: first.receivedAt,
      });
      // A change of visibility alone is news too.
      expect(await store.putInteraction({ ...edited, visibility: "followers" })).toBe("updated");
      expect((await store.getInteraction(first.id))?.visibility).toBe("followers");
    });
  });

  it("refuses another actor's attempt to replace or remove an interaction, changing nothing", async () => {
    await withStore(backend, async (store) => {
      const original = reply(1);
      await store.putInteraction(original);
      const forged = { ...reply(1, { html: "<p>forged</p>" }), ...by("https://evil.example/u/x") };
      expect(await store.putInteraction(forged)).toBe("refused");
      expect(await store.getInteraction(original.id)).toEqual(original);
      expect(await store.removeInteraction(original.id, "https://evil.example/u/x")).toBe(false);
      expect(await store.getInteraction(original.id)).toEqual(original);
      expect(await store.removeInteraction(original.id, original.author.actorId)).toBe(true);
      expect(await store.getInteraction(original.id)).toBeNull();
      expect(await store.removeInteraction(original.id, original.author.actorId)).toBe(false);
    });
  });

  it("undoes one actor's like or boost of one article, leaving the rest", async () => {
    await withStore(backend, async (store) => {
      const binh = "https://other.example/users/binh";
      const lan = "https://social.example/users/lan";
      await store.putInteraction(reaction("like", binh, SLUG, 1));
      await store.putInteraction(reaction("like", binh, "other-article", 2));
      await store.putInteraction(reaction("announce", binh, SLUG, 3));
      await store.putInteraction(reaction("like", lan, SLUG, 4));
      expect(await store.removeReaction(binh, "like", SLUG)).toBe(1);
      expect(await store.removeReaction(binh, "like", SLUG)).toBe(0);
      expect(await store.countInteractions(SLUG)).toEqual({ replies: 0, likes: 1, announces: 1 });
      expect(await store.countInteractions("other-article")).toEqual({
        replies: 0,
        likes: 1,
        announces: 0,
      });
    });
  });

  it("removes everything from an actor, or from every actor on a host (port included)", async () => {
    await withStore(backend, async (store) => {
      const lan = "https://social.example/users/lan";
      const minh = "https://social.example/users/minh";
      const ported = "https://social.example:8443/users/hoa";
      const other = "https://other.example/users/binh";
      await store.putInteraction(reply(1, by(lan)));
      await store.putInteraction(reaction("like", lan, SLUG, 2));
      await store.putInteraction(reply(3, by(minh)));
      await store.putInteraction(reply(4, by(ported)));
      await store.putInteraction(reply(5, by(other)));
      expect(await store.removeInteractionsBy(lan)).toBe(2);
      expect(await store.removeInteractionsBy(lan)).toBe(0);
      expect(await store.listInteractions({ limit: 10 })).toMatchObject({
        items: [
          { id: reply(3, by(minh)).id },
          { id: reply(4, by(ported)).id },
          { id: reply(5, by(other)).id },
        ],
      });
      expect(await store.removeInteractionsFromHost("Social.Example")).toBe(1);
      expect(await store.removeInteractionsFromHost("social.example:8443")).toBe(1);
      expect(await ids(store, { limit: 10 })).toEqual([reply(5, by(other)).id]);
    });
  });

  it("records the staff's decision, and says when there is nothing to decide on", async () => {
    await withStore(backend, async (store) => {
      await store.putInteraction(reply(1, { state: "pending" }));
      expect(await store.setModeration(reply(1).id, "rejected")).toBe(true);
      expect((await store.getInteraction(reply(1).id))?.state).toBe("rejected");
      expect(await store.setModeration("https://social.example/none", "approved")).toBe(false);
    });
  });

  it("counts only approved public replies, and every like and boost, of one article", async () => {
    await withStore(backend, async (store) => {
      await store.putInteraction(reply(1));
      await store.putInteraction(reply(2));
      await store.putInteraction(reply(3, { state: "pending" }));
      await store.putInteraction(reply(4, { state: "rejected" }));
      await store.putInteraction(reply(5, { visibility: "followers" }));
      await store.putInteraction(reply(6, { visibility: "direct" }));
      await store.putInteraction(reply(7, { kind: "mention" }));
      await store.putInteraction(reply(8, { slug: "other-article" }));
      await store.putInteraction(reaction("like", "https://a.example/u/1", SLUG, 9));
      await store.putInteraction(reaction("like", "https://b.example/u/2", SLUG, 10));
      await store.putInteraction(reaction("announce", "https://a.example/u/1", SLUG, 11));
      expect(await store.countInteractions(SLUG)).toEqual({ replies: 2, likes: 2, announces: 1 });
      expect(await store.countInteractions("no-such-article")).toEqual({
        replies: 0,
        likes: 0,
        announces: 0,
      });
      expect(await store.countByState("pending", ["reply", "mention"])).toBe(1);
      expect(await store.countByState("approved", ["reply", "mention"])).toBe(6);
      expect(await store.countByState("approved", ["like", "announce"])).toBe(3);
      expect(await store.countByState("approved", [])).toBe(0);
    });
  });

  it("lists by article, kind, state, visibility and actor, oldest or newest first", async () => {
    await withStore(backend, async (store) => {
      const minh = "https://social.example/users/minh";
      // Stored out of order: listing orders by published, not by arrival.
      await store.putInteraction(reply(3));
      await store.putInteraction(reply(1));
      await store.putInteraction(reply(2, { state: "pending" }));
      await store.putInteraction(reply(4, { kind: "mention", slug: null, inReplyTo: null }));
      await store.putInteraction(reply(5, { ...by(minh), visibility: "followers" }));
      await store.putInteraction(reaction("like", minh, SLUG, 6));
      const id = (n: number) => reply(n).id;
      expect(await ids(store, { slug: SLUG, kind: "reply", limit: 10 })).toEqual([
        id(1),
        id(2),
        id(3),
        reply(5, by(minh)).id,
      ]);
      expect(
        await ids(store, {
          slug: SLUG,
          kind: "reply",
          state: "approved",
          visibility: "public",
          limit: 10,
        }),
      ).toEqual([id(1), id(3)]);
      expect(
        await ids(store, {
          kind: ["reply", "mention"],
          state: "approved",
          order: "desc",
          limit: 10,
        }),
      ).toEqual([reply(5, by(minh)).id, id(4), id(3), id(1)]);
      expect(await ids(store, { kind: "mention", limit: 10 })).toEqual([id(4)]);
      expect(await ids(store, { actorId: minh, limit: 10 })).toEqual([
        reply(5, by(minh)).id,
        reaction("like", minh, SLUG, 6).id,
      ]);
      expect(await ids(store, { kind: [], limit: 10 })).toEqual([]);
      expect(await ids(store, { limit: 0 })).toEqual([id(1)]);
    });
  });

  it("pages through a thread in either order, each reply exactly once", async () => {
    await withStore(backend, async (store) => {
      // Two share a published time: the id breaks the tie.
      for (const n of [4, 2, 5, 1, 3]) await store.putInteraction(reply(n));
      const twin = reply(6, { id: `${reply(5).id}-b`, published: reply(5).published });
      await store.putInteraction(twin);
      const expected = [1, 2, 3, 4, 5].map((n) => reply(n).id).concat(twin.id);
      for (const order of ["asc", "desc"] as const) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await store.listInteractions({ slug: SLUG, order, cursor, limit: 4 });
          seen.push(...page.items.map((i) => i.id));
          cursor = page.next;
          pages++;
        } while (cursor !== null && pages < 10);
        expect(seen).toEqual(order === "asc" ? expected : [...expected].reverse());
        expect(pages).toBe(2);
      }
      expect(await store.listInteractions({ cursor: "not-a-cursor", limit: 2 })).toEqual({
        items: [],
        next: null,
      });
    });
  });

  it("keeps interactions across a restart", async () => {
    const target = await backend.target();
    const first = await target.open();
    await first.store.putInteraction(reply(1, { state: "pending" }));
    await first.store.setModeration(reply(1).id, "approved");
    await first.close();
    const second = await target.open();
    try {
      expect(await second.store.getInteraction(reply(1).id)).toEqual(reply(1));
      expect(await second.store.countInteractions(SLUG)).toEqual({
        replies: 1,
        likes: 0,
        announces: 0,
      });
    } finally {
      await second.close();
    }
  });

  describe("an article with 10,000 replies", () => {
    it("pages through all of them and counts them", async () => {
      await withStore(backend, async (store) => {
        const total = 10_000;
        const all = Array.from({ length: total }, (_, n) =>
          reply(n, {
            id: `https://social.example/users/lan/statuses/${String(n).padStart(5, "0")}`,
            published: new Date(Date.UTC(2024, 4, 1) + n * 1000),
            // Every tenth waits for moderation: neither counted nor listed as approved.
            state: n % 10 === 0 ? "pending" : "approved",
          }),
        );
        // Some at a time: PostgreSQL takes them on several connections.
        for (let start = 0; start < total; start += 100) {
          await Promise.all(all.slice(start, start + 100).map((i) => store.putInteraction(i)));
        }
        const approved = all.filter((i) => i.state === "approved").map((i) => i.id);
        expect(await store.countInteractions(SLUG)).toEqual({
          replies: approved.length,
          likes: 0,
          announces: 0,
        });
        expect(await store.countByState("pending", ["reply"])).toBe(total - approved.length);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await store.listInteractions({
            slug: SLUG,
            kind: "reply",
            state: "approved",
            visibility: "public",
            cursor,
            limit: 500,
          });
          expect(page.items.length).toBeLessThanOrEqual(500);
          seen.push(...page.items.map((i) => i.id));
          cursor = page.next;
        } while (cursor !== null && seen.length <= total);
        expect(seen).toEqual(approved);
      });
    }, 120_000);
  });
}
