import { describe, expect, it } from "vitest";
import { type Backend, withStore } from "./backends.ts";
import { by, ids, reaction, reply, SLUG } from "./interaction-fixtures.ts";

/** How every {@link Store} lists interactions: filters, order, cursors, and a long thread. */
export function interactionListsSuite(backend: Backend): void {
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
