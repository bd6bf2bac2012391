/**
 * The queue's decisions and blocks, as a staff member's browser sees them
 * and as the store then holds them: in process, on a real SQLite store.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { author, reply } from "../../../tests/fixtures/replies.ts";
import { textOf } from "../../../tests/helpers/html.ts";
import type { StaffClient } from "../../../tests/helpers/newsroom.ts";
import { type NewsroomApp, newsroomApp, STAFF } from "../../../tests/helpers/newsroom-app.ts";
import type { Interaction } from "../../storage/interactions.ts";

let app: NewsroomApp;
let staff: StaffClient;
let csrf: string;

beforeEach(async () => {
  app = await newsroomApp();
  staff = await app.signedIn();
  csrf = await staff.csrfToken();
});
afterEach(() => app.close());

const pending = (user: string, overrides: Partial<Interaction> = {}) =>
  reply(user, { state: "pending", ...overrides });

async function seed(...interactions: Interaction[]) {
  for (const i of interactions) await app.storage.store.putInteraction(i);
}

async function follower(actorId: string) {
  await app.storage.store.addFollower({
    actorId,
    followId: `${actorId}#follow`,
    inbox: `${actorId}/inbox`,
    sharedInbox: null,
    createdAt: new Date("2021-03-10T00:00:00Z"),
  });
}

const stateOf = async (id: string) => (await app.storage.store.getInteraction(id))?.state;

describe("the moderation queue", () => {
  it("lists pending replies newest first and pages them by the store's cursor", async () => {
    const replies = Array.from({ length: 23 }, (_, i) =>
      pending(`u${i}`, { published: new Date(Date.UTC(2021, 2, 18, 9, i)) }),
    );
    await seed(...replies, reply("approved-one"));
    const first = await (await staff.get("/admin/replies")).text();
    expect(textOf(first)).toContain("23 phản hồi chờ duyệt.");
    const ids = (page: string) => [...page.matchAll(/name="id" value="([^"]+)"/g)].map((m) => m[1]);
    const newestFirst = [...replies].reverse().map((r) => r.id);
    expect([...new Set(ids(first))]).toEqual(newestFirst.slice(0, 20));
    const next = /href="(\/admin\/replies\?cursor=[^"]+)" rel="next"/.exec(first)?.[1];
    expect(next).toBeDefined();
    const second = await (await staff.get((next ?? "").replaceAll("&amp;", "&"))).text();
    expect([...new Set(ids(second))]).toEqual(newestFirst.slice(20));
  });

  it("approving sets the reply approved, re-renders its article and says so after the redirect", async () => {
    const r = pending("an");
    await seed(r);
    const res = await staff.post("/admin/replies/approve", { csrf, id: r.id });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/replies?done=approved");
    expect(await stateOf(r.id)).toBe("approved");
    expect(app.changed).toEqual([r.slug]);
    const page = textOf(await (await staff.get("/admin/replies?done=approved")).text());
    expect(page).toContain("Đã duyệt phản hồi");
    expect(page).toContain("Không có phản hồi nào chờ duyệt.");
  });

  it("rejecting keeps it off the page", async () => {
    const r = pending("an");
    await seed(r);
    const res = await staff.post("/admin/replies/reject", { csrf, id: r.id });
    expect(res.headers.get("location")).toBe("/admin/replies?done=rejected");
    expect(await stateOf(r.id)).toBe("rejected");
    expect(app.changed).toEqual([r.slug]);
  });

  it("an unknown id, or a like, is a 400 in Vietnamese and changes nothing", async () => {
    const like = reply("an", { kind: "like", html: null, state: "approved" });
    await seed(like);
    for (const id of ["https://social.example/statuses/none", "", like.id]) {
      const res = await staff.post("/admin/replies/reject", { csrf, id });
      expect(res.status).toBe(400);
      expect(textOf(await res.text())).toContain("Không có phản hồi này");
    }
    expect(await stateOf(like.id)).toBe("approved");
    expect(app.changed).toEqual([]);
  });
});

describe("blocking", () => {
  it("blocking a server from the queue removes its replies and followers, and only theirs", async () => {
    const spam = pending("spam", { author: author("spam", "spam.example") });
    const kept = pending("an");
    await seed(spam, pending("spam2", { author: author("spam2", "spam.example") }), kept);
    await follower("https://spam.example/users/f1");
    await follower("https://social.example/users/an");
    const res = await staff.post("/admin/blocks/domain", {
      csrf,
      id: spam.id,
      domain: "spam.example",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/replies?done=blocked-domain");
    const { store } = app.storage;
    expect(await store.listBlocks()).toMatchObject([
      { kind: "domain", value: "spam.example", by: STAFF.username },
    ]);
    expect(await store.getInteraction(spam.id)).toBeNull();
    expect(await stateOf(kept.id)).toBe("pending");
    expect((await store.listFollowers({ limit: 10 })).items.map((f) => f.actorId)).toEqual([
      "https://social.example/users/an",
    ]);
    expect(await store.isBlocked("https://spam.example/users/someone-new")).toBe(true);
    expect(app.changed).toEqual([null]);
  });

  it("blocking an author removes what it sent and its follow; from the block list it returns there", async () => {
    const a = author("troll");
    await seed(pending("troll", { author: a }), reply("troll", { author: a }));
    await follower(a.actorId);
    const res = await staff.post("/admin/blocks/actor", { csrf, actor: a.actorId });
    expect(res.headers.get("location")).toBe("/admin/blocks?done=blocked-actor");
    const { store } = app.storage;
    expect((await store.listInteractions({ actorId: a.actorId, limit: 10 })).items).toEqual([]);
    expect(await store.getFollower(a.actorId)).toBeNull();
    expect(await store.isBlocked(a.actorId)).toBe(true);
    expect(await store.isBlocked(author("an").actorId)).toBe(false);
    const page = textOf(await (await staff.get("/admin/blocks?done=blocked-actor")).text());
    expect(page).toContain("Đã chặn tài khoản");
    expect(page).toContain(`Tài khoản: ${a.actorId}`);
  });

  it("a bad host or actor is a 400 naming what is wrong, and nothing is blocked", async () => {
    for (const [path, fields] of [
      ["/admin/blocks/domain", { domain: "https://spam.example/x" }],
      ["/admin/blocks/domain", { domain: "cualo.example" }],
      ["/admin/blocks/actor", { actor: "không phải URL" }],
      ["/admin/blocks/actor", {}],
    ] as const) {
      const res = await staff.post(path, { csrf, ...fields });
      expect(res.status).toBe(400);
      expect(textOf(await res.text())).toContain("Không có gì thay đổi.");
    }
    expect(await app.storage.store.listBlocks()).toEqual([]);
    expect(app.changed).toEqual([]);
  });

  it("lifting a block removes it from the list; an unknown one is a 400", async () => {
    await staff.post("/admin/blocks/domain", { csrf, domain: "Spam.Example:8443" });
    // A domain block covers every port: the port given is not kept.
    expect((await app.storage.store.listBlocks()).map((b) => b.value)).toEqual(["spam.example"]);
    const res = await staff.post("/admin/blocks/remove", {
      csrf,
      kind: "domain",
      value: "spam.example:8443",
    });
    expect(res.headers.get("location")).toBe("/admin/blocks?done=unblocked");
    expect(await app.storage.store.listBlocks()).toEqual([]);
    const again = await staff.post("/admin/blocks/remove", {
      csrf,
      kind: "domain",
      value: "spam.example:8443",
    });
    expect(again.status).toBe(400);
    const badKind = await staff.post("/admin/blocks/remove", { csrf, kind: "x", value: "y" });
    expect(badKind.status).toBe(400);
  });
});
