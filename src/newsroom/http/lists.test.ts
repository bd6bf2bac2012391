/** The pages that only show, wired to a real SQLite store: mentions, followers, deliveries. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedArticle } from "../../../tests/fixtures/articles.ts";
import { author, reply } from "../../../tests/fixtures/replies.ts";
import { textOf } from "../../../tests/helpers/html.ts";
import type { StaffClient } from "../../../tests/helpers/newsroom.ts";
import { type NewsroomApp, newsroomApp, ORIGIN } from "../../../tests/helpers/newsroom-app.ts";
import { createUrls } from "../../urls.ts";

let app: NewsroomApp;
let staff: StaffClient;
const urls = createUrls(new URL(ORIGIN));

beforeEach(async () => {
  app = await newsroomApp();
  staff = await app.signedIn();
});
afterEach(() => app.close());

const page = async (path: string) => textOf(await (await staff.get(path)).text());

describe("the mentions page", () => {
  it("shows mentions newest first and no replies", async () => {
    const { store } = app.storage;
    await store.putInteraction(
      reply("an", {
        kind: "mention",
        html: "<p>Cũ</p>",
        published: new Date("2021-03-01T00:00:00Z"),
      }),
    );
    await store.putInteraction(
      reply("binh", { kind: "mention", html: "<p>Mới</p>", slug: null, inReplyTo: null }),
    );
    await store.putInteraction(reply("chi", { html: "<p>Một phản hồi</p>", state: "pending" }));
    const text = await page("/admin/mentions");
    expect(text.indexOf("Mới")).toBeGreaterThan(-1);
    expect(text.indexOf("Mới")).toBeLessThan(text.indexOf("Cũ"));
    expect(text).not.toContain("Một phản hồi");
  });
});

describe("the followers page", () => {
  it("counts followers, by server, most first", async () => {
    const { store } = app.storage;
    const follow = (actorId: string, day: number) =>
      store.addFollower({
        actorId,
        followId: `${actorId}#f`,
        inbox: `${actorId}/inbox`,
        sharedInbox: null,
        createdAt: new Date(Date.UTC(2021, 2, day)),
      });
    await follow(author("an", "b.example").actorId, 1);
    await follow(author("binh", "a.example:8443").actorId, 2);
    await follow(author("chi", "a.example:8443").actorId, 3);
    const res = await staff.get("/admin/followers");
    const html = await res.text();
    const text = textOf(html);
    expect(text).toContain("3 người theo dõi trên 2 máy chủ.");
    expect(text).toMatch(/a\.example:8443 2 b\.example 1/);
    expect(html).toContain(author("chi", "a.example:8443").actorId);
  });

  it("says so when nobody follows", async () => {
    expect(await page("/admin/followers")).toContain("Chưa có ai theo dõi");
  });
});

describe("the deliveries page", () => {
  it("names each activity by its article and shows the failing servers", async () => {
    const { store } = app.storage;
    const created = urls.activity(seedArticle.slug, "create", 1);
    const removed = urls.activity("bai-da-go", "delete", 2);
    const at = new Date("2021-03-18T08:00:00Z");
    await store.recordPending(
      created,
      ["https://a.example/inbox", "https://down.example/inbox"],
      at,
    );
    await store.recordDelivered(created, "https://a.example/inbox", at);
    await store.recordFailure(created, "https://down.example/inbox", "HTTP 503", true, at);
    await store.recordPending(removed, ["https://a.example/inbox"], new Date(at.getTime() + 1000));
    await store.recordPending(
      "https://elsewhere.example/x",
      ["https://a.example/inbox"],
      new Date(at.getTime() + 2000),
    );
    const html = await (await staff.get("/admin/deliveries")).text();
    const text = textOf(html);
    expect(text).toContain(`Bài mới: ${seedArticle.title}`);
    expect(text).toContain("Gỡ bài: bai-da-go");
    expect(text).toContain("Đã gửi tới 1/2 máy chủ (50%)");
    expect(text).toMatch(/Máy chủ đang lỗi: down\.example/);
    // Not ours: shown by its id, linked.
    expect(html).toContain('<a href="https://elsewhere.example/x">');
    expect(text.indexOf("Gỡ bài")).toBeLessThan(text.indexOf("Bài mới"));
  });
});
