/**
 * The newsroom's first page by role, over HTTP in process on a real SQLite
 * store: an editor sees what waits for review (and the count beside
 * "Bài viết" on every page), a writer their drafts and what came back with
 * the comment's start, a moderator the held replies and failing deliveries.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { reply } from "../../../tests/fixtures/replies.ts";
import { elementsNamed, findAll, nodeText, treeOf } from "../../../tests/helpers/html.ts";
import { articleForm as fields, type StaffClient } from "../../../tests/helpers/newsroom.ts";
import { type NewsroomApp, newsroomApp } from "../../../tests/helpers/newsroom-app.ts";
import { ARTICLE_PATHS, NEWSROOM_PATHS } from "../pages/index.ts";

let app: NewsroomApp;
beforeEach(async () => {
  app = await newsroomApp();
});
afterEach(async () => {
  await app.close();
});

/** Saves a new article as `client` and, with `action`, takes it one step on; its form's path. */
async function write(client: StaffClient, title: string, action?: string): Promise<string> {
  const csrf = await client.csrfToken();
  const saved = await client.post(ARTICLE_PATHS.create, { csrf, ...fields(title), action: "save" });
  const path = new URL(saved.headers.get("location") ?? "", "https://x").pathname;
  if (action) {
    const res = await client.post(path, { csrf, ...fields(title), revision: "1", action });
    expect(res.status, action).toBe(303);
  }
  return path;
}

const revisionOf = (html: string) =>
  elementsNamed(html, "input").find((i) => i.attribs.name === "revision")?.attribs.value ?? "";
const textOf = async (client: StaffClient, path: string) =>
  nodeText(treeOf(await (await client.get(path)).text()));
const navOf = async (client: StaffClient, path: string) => {
  const [nav] = findAll(treeOf(await (await client.get(path)).text()), (n) => n.name === "nav");
  return nav ? nodeText(nav) : "";
};

describe("the newsroom's first page", () => {
  it("shows an editor what waits for review, and the count beside the articles on every page", async () => {
    const writer = await app.signedInAs("lan", ["writer"]);
    await write(writer, "Lịch tiếp dân tháng 4", "submit");
    await write(writer, "Thông báo cắt điện", "submit");
    await write(writer, "Bản nháp chưa gửi");
    const editor = await app.signedInAs("hung", ["editor"]);
    const page = await textOf(editor, NEWSROOM_PATHS.home);
    expect(page).toContain("2 bài đang chờ bạn duyệt");
    expect(page).toContain("Lịch tiếp dân tháng 4");
    expect(page).toContain("Thông báo cắt điện");
    expect(page).not.toContain("Bản nháp chưa gửi");
    expect(page).not.toContain("phản hồi chờ duyệt");
    for (const path of [NEWSROOM_PATHS.home, ARTICLE_PATHS.list, NEWSROOM_PATHS.media]) {
      expect(await navOf(editor, path), path).toBe(
        "Tổng quan Bài viết (2) bài chờ duyệt Ảnh Đăng xuất",
      );
    }
    const html = await (await editor.get(NEWSROOM_PATHS.home)).text();
    expect(html).toContain(`href="${ARTICLE_PATHS.list}?state=submitted"`);
    // A writer is shown no count of others' work.
    expect(await navOf(writer, NEWSROOM_PATHS.home)).toBe("Tổng quan Bài viết Ảnh Đăng xuất");
  });

  it("shows a writer their drafts, what came back with the comment's start, and what they submitted", async () => {
    const writer = await app.signedInAs("lan", ["writer"]);
    await write(writer, "Bản nháp một");
    await write(writer, "Chờ biên tập", "submit");
    const back = await write(writer, "Sẽ bị trả lại", "submit");
    const editor = await app.signedInAs("hung", ["editor"]);
    const comment = `Xin thêm giờ tiếp dân buổi chiều. ${"Và ghi rõ địa chỉ. ".repeat(20)}`;
    const csrf = await editor.csrfToken();
    const returned = await editor.post(back, {
      csrf,
      ...fields("Sẽ bị trả lại"),
      revision: revisionOf(await (await editor.get(back)).text()),
      action: "return",
      comment,
    });
    expect(returned.status).toBe(303);
    // Another writer's work is not theirs to see.
    const other = await app.signedInAs("mai", ["writer"]);
    await write(other, "Bài của người khác");

    const page = await textOf(writer, NEWSROOM_PATHS.home);
    expect(page).toContain("1 bài biên tập viên trả lại cho bạn");
    expect(page).toContain("Góp ý: Xin thêm giờ tiếp dân buổi chiều.");
    expect(page).not.toContain(comment.trim());
    expect(page).toContain("1 bản nháp");
    expect(page).toContain("Bản nháp một");
    expect(page).toContain("1 bài đang chờ biên tập viên");
    expect(page).toContain("Chờ biên tập");
    expect(page).not.toContain("Bài của người khác");
    expect(page).not.toContain("Kiểm duyệt");
  });

  it("shows a moderator the held replies and the failing deliveries, and nothing of the articles", async () => {
    await app.storage.store.putInteraction(reply("an", { state: "pending" }));
    await app.storage.store.putInteraction(reply("binh", { state: "pending" }));
    await app.storage.store.putInteraction(reply("chi", { state: "approved" }));
    const now = new Date("2021-03-18T10:00:00Z");
    await app.storage.store.recordPending(
      "https://cualo.example/a#create",
      ["https://x.example/inbox", "https://y.example/inbox"],
      now,
    );
    await app.storage.store.recordFailure(
      "https://cualo.example/a#create",
      "https://x.example/inbox",
      "HTTP 503",
      false,
      now,
    );
    const moderator = await app.signedInAs("kiem", ["moderator"]);
    const page = await textOf(moderator, NEWSROOM_PATHS.home);
    expect(page).toContain("2 phản hồi chờ duyệt");
    expect(page).toContain("1 lượt gửi đang lỗi");
    expect(page).not.toContain("Bài chờ duyệt");
    expect(page).not.toContain("Bản nháp");
    // Login, then the moderation queue: the held replies are on the first page with their
    // four decisions, not only counted.
    const res = await moderator.get(NEWSROOM_PATHS.home);
    const forms = elementsNamed(await res.text(), "form").map((f) => f.attribs.action);
    for (const action of [
      NEWSROOM_PATHS.approve,
      NEWSROOM_PATHS.reject,
      NEWSROOM_PATHS.blockActor,
    ]) {
      expect(forms.filter((a) => a === action)).toHaveLength(2);
    }
    expect(forms.filter((a) => a === NEWSROOM_PATHS.blockDomain).length).toBeGreaterThan(0);
    expect(await navOf(moderator, NEWSROOM_PATHS.home)).toBe(
      "Tổng quan Hàng chờ duyệt Nhắc đến Người theo dõi Tình trạng gửi Danh sách chặn Đăng xuất",
    );
  });

  it("shows a member's refusals with their own navigation, a stale form's included", async () => {
    const writer = await app.signedInAs("lan", ["writer"]);
    const forbidden = await writer.get(NEWSROOM_PATHS.mentions);
    expect(forbidden.status).toBe(403);
    const stale = await writer.post(ARTICLE_PATHS.create, { csrf: "cũ", ...fields("x") });
    expect(stale.status).toBe(403);
    for (const res of [forbidden, stale]) {
      const [nav] = findAll(treeOf(await res.text()), (n) => n.name === "nav");
      expect(nav && nodeText(nav)).toBe("Tổng quan Bài viết Ảnh Đăng xuất");
    }
  });

  it("sends the queue's old page links on to the queue", async () => {
    const moderator = await app.signedInAs("kiem", ["moderator"]);
    const res = await moderator.get(`${NEWSROOM_PATHS.home}?cursor=abc`);
    expect(res.status).toBe(308);
    expect(res.headers.get("location")).toBe(`${NEWSROOM_PATHS.queue}?cursor=abc`);
    const bare = await moderator.get("/admin");
    expect(bare.headers.get("location")).toBe(NEWSROOM_PATHS.home);
  });
});
