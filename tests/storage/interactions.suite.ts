import { expect, it } from "vitest";
import { type Backend, withStore } from "./backends.ts";
import { by, ids, reaction, reply, SLUG } from "./interaction-fixtures.ts";

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

      const edited = reply(1, {
        html: "<p>Đã sửa.</p>",
        updated: new Date(Date.UTC(2024, 4, 2)),
        url: "https://social.example/@lan/1/edited",
        state: "approved",
        receivedAt: new Date("2030-01-01T00:00:00Z"),
      });
      expect(await store.putInteraction(edited)).toBe("updated");
      expect(await store.getInteraction(first.id)).toEqual({
        ...edited,
        state: "pending",
        receivedAt: first.receivedAt,
      });
      // A change of visibility alone is news too.
      expect(await store.putInteraction({ ...edited, visibility: "followers" })).toBe("updated");
      expect((await store.getInteraction(first.id))?.visibility).toBe("followers");
      // A rejected reply stays rejected whatever its author changes.
      await store.setModeration(first.id, "rejected");
      expect(await store.putInteraction({ ...edited, html: "<p>Lần nữa</p>" })).toBe("updated");
      expect((await store.getInteraction(first.id))?.state).toBe("rejected");
    });
  });

  it("sends an approved reply back to the state a new one gets when its content, thread or audience changes", async () => {
    await withStore(backend, async (store) => {
      const approved = reply(1, { state: "pending", visibility: "direct" });
      await store.putInteraction(approved);
      await store.setModeration(approved.id, "approved");
      // The incoming state is what the site's policy gives a new reply (pending under `moderated`).
      const pending = { ...approved, state: "pending" as const };
      const changes = [
        { html: "<p>Nội dung khác</p>" },
        { inReplyTo: "https://town.example/articles/other", slug: "other" },
        { visibility: "public" as const },
      ];
      for (const change of changes) {
        await store.setModeration(approved.id, "approved");
        expect(await store.putInteraction({ ...pending, ...change })).toBe("updated");
        expect(await store.getInteraction(approved.id)).toMatchObject({
          ...change,
          state: "pending",
        });
        // Delivered again unchanged: the staff's new decision stands.
        await store.setModeration(approved.id, "approved");
        expect(await store.putInteraction({ ...pending, ...change })).toBe("unchanged");
        expect((await store.getInteraction(approved.id))?.state).toBe("approved");
        Object.assign(pending, change);
      }
      // Under `open` (or from a follower under `followers`) a new reply is approved: so is the change.
      expect(await store.putInteraction({ ...pending, html: "<p>Mở</p>", state: "approved" })).toBe(
        "updated",
      );
      expect((await store.getInteraction(approved.id))?.state).toBe("approved");
      // Only `updated` moves (an Update without a change the reader sees): the decision stands.
      expect(
        await store.putInteraction({
          ...pending,
          html: "<p>Mở</p>",
          updated: new Date(Date.UTC(2024, 5, 1)),
        }),
      ).toBe("updated");
      expect((await store.getInteraction(approved.id))?.state).toBe("approved");
    });
  });

  it("counts one like and one boost per actor and article, whatever the activity ids", async () => {
    await withStore(backend, async (store) => {
      const binh = "https://other.example/users/binh";
      expect(await store.putInteraction(reaction("like", binh, SLUG, 1))).toBe("created");
      expect(await store.putInteraction(reaction("like", binh, SLUG, 2))).toBe("unchanged");
      expect(await store.putInteraction(reaction("announce", binh, SLUG, 3))).toBe("created");
      expect(await store.putInteraction(reaction("announce", binh, SLUG, 4))).toBe("unchanged");
      expect(await store.putInteraction(reaction("like", binh, "other-article", 5))).toBe(
        "created",
      );
      expect(await store.getInteraction(reaction("like", binh, SLUG, 2).id)).toBeNull();
      expect(await store.countInteractions(SLUG)).toEqual({ replies: 0, likes: 1, announces: 1 });
      // Many at once (several processes): still one.
      const many = await Promise.all(
        [10, 11, 12, 13, 14, 15].map((n) => store.putInteraction(reaction("like", binh, "x", n))),
      );
      expect(many.filter((r) => r === "created")).toHaveLength(1);
      expect((await store.countInteractions("x")).likes).toBe(1);
      // Undone, it may come again.
      expect(await store.removeReaction(binh, "like", SLUG)).toBe(1);
      expect(await store.putInteraction(reaction("like", binh, SLUG, 6))).toBe("created");
      expect(await store.countInteractions(SLUG)).toEqual({ replies: 0, likes: 1, announces: 1 });
    });
  });

  it("bounds what one actor may store when asked to: pending replies and bytes", async () => {
    await withStore(backend, async (store) => {
      const limits = { maxPending: 3, maxBytes: 200 };
      const lan = (n: number, html = "<p>x</p>") => reply(n, { state: "pending", html });
      for (const n of [1, 2, 3])
        expect(await store.putInteraction(lan(n), { limits })).toBe("created");
      expect(await store.putInteraction(lan(4), { limits })).toBe("limited");
      expect(await store.getInteraction(lan(4).id)).toBeNull();
      // Another actor has its own allowance; approved ones leave the pending count.
      const other = reply(5, { ...by("https://other.example/users/binh"), state: "pending" });
      expect(await store.putInteraction(other, { limits })).toBe("created");
      await store.setModeration(lan(1).id, "approved");
      expect(await store.putInteraction(lan(4), { limits })).toBe("created");
      // Bytes count every state; an edit that would pass the bound changes nothing.
      await store.setModeration(lan(4).id, "approved");
      const big = `<p>${"x".repeat(180)}</p>`;
      expect(await store.putInteraction(lan(6, big), { limits })).toBe("limited");
      expect(await store.putInteraction({ ...lan(2), html: big }, { limits })).toBe("limited");
      expect((await store.getInteraction(lan(2).id))?.html).toBe("<p>x</p>");
      // Without limits (copying a store), everything goes in.
      expect(await store.putInteraction(lan(6, big))).toBe("created");
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

  it("removes everything from an actor, or from every actor on a domain (its subdomains and every port)", async () => {
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
      await store.putInteraction(reply(6, by("https://a.b.social.example/users/c")));
      await store.putInteraction(reply(7, by("https://notsocial.example/users/d")));
      expect(await store.removeInteractionsFromHost("b.social.example")).toBe(1);
      expect(await store.removeInteractionsFromHost("Social.Example")).toBe(2);
      expect(await store.removeInteractionsFromHost("social.example:8443")).toBe(0);
      expect(await ids(store, { limit: 10 })).toEqual([
        reply(5, by(other)).id,
        reply(7, by("https://notsocial.example/users/d")).id,
      ]);
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
}
