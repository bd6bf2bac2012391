/**
 * The article form over HTTP (in process, a real SQLite store): what a
 * writer and an editor see and get back. The service's rules have their own
 * suite; here, how the routes show them: errors beside their fields with the
 * form as sent, a conflicting save that keeps the member's text, 403 pages,
 * only the buttons a role may press.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { elementsNamed } from "../../../tests/helpers/html.ts";
import type { StaffClient } from "../../../tests/helpers/newsroom.ts";
import { type NewsroomApp, newsroomApp } from "../../../tests/helpers/newsroom-app.ts";

let app: NewsroomApp;
beforeEach(async () => {
  app = await newsroomApp();
});
afterEach(async () => {
  await app.close();
});

const ARTICLE = {
  title: "Lịch tiếp dân tháng 4",
  summary: "Lịch tiếp công dân của Ủy ban.",
  body: "## Thứ Hai\n\n- Phường Nghi Hòa\n- [Xem lịch](https://cualo.example/lich)",
  tags: "tiếp dân, hành chính",
  author: "Văn phòng",
  language: "vi",
  published: "",
  slug: "",
  image: "",
  image_alt: "",
};

async function create(
  client: StaffClient,
  fields: Record<string, string> = ARTICLE,
  action = "save",
) {
  const csrf = await client.csrfToken();
  return await client.post("/admin/articles/new", { csrf, ...fields, action });
}

const buttons = (html: string) =>
  elementsNamed(html, "button")
    .filter((b) => b.attribs.name === "action")
    .map((b) => b.attribs.value);
const fieldValue = (html: string, name: string) =>
  elementsNamed(html, "input").find((i) => i.attribs.name === name)?.attribs.value;

describe("the article form", () => {
  it("a writer saves a new draft, sees it again with only a writer's buttons, and it is listed", async () => {
    const writer = await app.signedInAs("lan", ["writer"]);
    const res = await create(writer);
    expect(res.status).toBe(303);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/admin\/articles\/[^/?]+\?done=save$/);
    const page = await writer.get(location);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(page.headers.get("content-security-policy")).not.toMatch(/unsafe-(inline|eval)/);
    const html = await page.text();
    expect(html).toContain("Đã lưu bản nháp.");
    expect(fieldValue(html, "title")).toBe(ARTICLE.title);
    expect(html).toContain("## Thứ Hai");
    expect(fieldValue(html, "revision")).toBe("1");
    expect(buttons(html)).toEqual(["save", "submit"]);
    const list = await (await writer.get("/admin/articles")).text();
    expect(list).toContain(ARTICLE.title);
    expect(list).toContain("Bản nháp");
  });

  it("a form with errors comes back filled, one Vietnamese message beside each field at fault", async () => {
    const writer = await app.signedInAs("lan", ["writer"]);
    const res = await create(writer, {
      ...ARTICLE,
      title: "x".repeat(10_000),
      published: "ngày mai",
      slug: "Đường dẫn có dấu!",
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    for (const field of ["title", "published", "slug"]) {
      const input = elementsNamed(html, "input").find((i) => i.attribs.name === field);
      expect(input?.attribs["aria-invalid"], field).toBe("true");
      expect(input?.attribs["aria-describedby"], field).toContain(`${field}-error`);
      expect(html).toMatch(new RegExp(`id="${field}-error">[^<]+`));
    }
    expect(fieldValue(html, "published")).toBe("ngày mai");
    expect(html).toContain("## Thứ Hai");
    expect(fieldValue(html, "tags")).toBe(ARTICLE.tags);
  });

  it("a save from an older revision is refused with a clear message and the member's text kept", async () => {
    const writer = await app.signedInAs("lan", ["writer"]);
    const location = (await create(writer)).headers.get("location") ?? "";
    const path = location.split("?")[0] ?? "";
    const csrf = await writer.csrfToken();
    const first = await writer.post(path, {
      csrf,
      ...ARTICLE,
      body: "Bản thứ hai",
      revision: "1",
      action: "save",
    });
    expect(first.status).toBe(303);
    const stale = await writer.post(path, {
      csrf,
      ...ARTICLE,
      body: "Bản viết song song",
      revision: "1",
      action: "save",
    });
    expect(stale.status).toBe(409);
    const html = await stale.text();
    expect(html).toContain("Bản viết song song");
    expect(html).toMatch(/role="alert"/);
    expect(html).toContain("Phiên bản 2");
    const now = await (await writer.get(path)).text();
    expect(now).toContain("Bản thứ hai");
  });

  it("a writer who forges `publish` gets 403 and nothing changes; an editor sees the editor's buttons", async () => {
    const writer = await app.signedInAs("lan", ["writer"]);
    const location = (await create(writer, ARTICLE, "submit")).headers.get("location") ?? "";
    const path = location.split("?")[0] ?? "";
    const csrf = await writer.csrfToken();
    const forged = await writer.post(path, { csrf, ...ARTICLE, revision: "1", action: "publish" });
    expect(forged.status).toBe(403);
    const editor = await app.signedInAs("hung", ["editor"]);
    const html = await (await editor.get(path)).text();
    expect(html).toContain("Chờ duyệt");
    expect(buttons(html)).toEqual(expect.arrayContaining(["publish", "return"]));
    expect(buttons(html)).not.toContain("withdraw");
  });

  it("an editor returns a submission with a comment, which the writer sees beside the draft", async () => {
    const writer = await app.signedInAs("lan", ["writer"]);
    const location = (await create(writer, ARTICLE, "submit")).headers.get("location") ?? "";
    const path = location.split("?")[0] ?? "";
    const editor = await app.signedInAs("hung", ["editor"]);
    const csrf = await editor.csrfToken();
    const returned = await editor.post(path, {
      csrf,
      revision: "1",
      action: "return",
      comment: "Thêm giờ tiếp dân.",
    });
    expect(returned.status).toBe(303);
    const html = await (await writer.get(path)).text();
    expect(html).toContain("Biên tập viên trả lại bài");
    expect(html).toContain("Thêm giờ tiếp dân.");
    expect(html).toContain("hung");
  });

  it("the preview, the framed public page and the revisions page answer, with their own policies", async () => {
    const writer = await app.signedInAs("lan", ["writer"]);
    const location = (await create(writer)).headers.get("location") ?? "";
    const path = location.split("?")[0] ?? "";
    const preview = await writer.get(`${path}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.headers.get("content-security-policy")).toContain("frame-src 'self'");
    const html = await preview.text();
    expect(html).toContain(`${path}/preview/page`);
    expect(html).toContain("<strong>Lịch tiếp dân tháng 4</strong>");
    const page = await writer.get(`${path}/preview/page`);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'self'");
    expect(page.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(await page.text()).toContain("<h2>Thứ Hai</h2>");
    const csrf = await writer.csrfToken();
    await writer.post(path, {
      csrf,
      ...ARTICLE,
      body: "Nội dung mới",
      revision: "1",
      action: "save",
    });
    const revisions = await (await writer.get(`${path}/revisions?from=1&to=2`)).text();
    expect(revisions).toContain("Phiên bản 2");
    expect(revisions).toMatch(/<ins><span class="sr-only">Thêm: <\/span>[^<]*Nội dung mới/);
    expect(revisions).toMatch(/<del><span class="sr-only">Bỏ: <\/span>/);
  });
});

describe("the article routes against hostile input", () => {
  it("the live preview needs a session and the CSRF token, and renders a script as nothing that runs", async () => {
    const stranger = app.browser();
    const signedOut = await stranger.post(
      "/admin/articles/live-preview",
      { body: "x" },
      { Accept: "application/json" },
    );
    expect(signedOut.status).toBe(401);
    const writer = await app.signedInAs("lan", ["writer"]);
    const forged = await writer.post("/admin/articles/live-preview", { body: "x" });
    expect(forged.status).toBe(403);
    const csrf = await writer.csrfToken();
    const res = await writer.post("/admin/articles/live-preview", {
      csrf,
      title: "<script>alert(1)</script>",
      body: '## Tiêu đề\n\n<script>alert(2)</script><img src=x onerror="alert(3)"><a href="javascript:alert(4)">bấm</a>',
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith("<article")).toBe(true);
    expect(html).toContain("<h2>Tiêu đề</h2>");
    expect(html).not.toMatch(/<script|onerror|javascript:/i);
  });

  it("an article form over 1 MiB is refused with 413 and nothing is saved", async () => {
    const writer = await app.signedInAs("lan", ["writer"]);
    const res = await create(writer, { ...ARTICLE, body: "x".repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    const list = await (await writer.get("/admin/articles")).text();
    expect(list).not.toContain(ARTICLE.title);
  });

  it("assets are served by name only: no path reaches another file", async () => {
    const stranger = app.browser();
    const script = await stranger.get("/admin/assets/editor.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(script.headers.get("cache-control")).toBe("no-cache");
    const etag = script.headers.get("etag") ?? "";
    expect((await stranger.get("/admin/assets/editor.js", { "If-None-Match": etag })).status).toBe(
      304,
    );
    for (const path of [
      "/admin/assets/..%2F..%2F..%2Fpackage.json",
      "/admin/assets/%2e%2e/config.ts",
      "/admin/assets/nope.js",
    ]) {
      expect((await stranger.get(path)).status, path).not.toBe(200);
    }
  });
});

describe("the articles list's state filter", () => {
  it("lists a scheduled article whose time has come under published, not scheduled", async () => {
    const editor = await app.signedInAs("minh", ["editor"]);
    const res = await create(editor, { ...ARTICLE, published: "2021-03-18T20:00" }, "publish");
    expect(res.status).toBe(303);
    const listed = async (state: string) =>
      (await (await editor.get(`/admin/articles?state=${state}`)).text()).includes(ARTICLE.title);
    expect(await listed("scheduled")).toBe(true);
    expect(await listed("published")).toBe(false);
    app.advance(4 * 3_600_000); // 14:00 UTC: 21:00 in the site's time zone
    expect(await listed("published")).toBe(true);
    expect(await listed("scheduled")).toBe(false);
  });
});
