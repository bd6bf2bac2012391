/**
 * Pictures in the newsroom (the contract's "Writing in the newsroom →
 * Pictures"), against the real server in its own process over real HTTP:
 * uploads with a staff session and the CSRF token, refusals that store
 * nothing, and the renditions as the public reads them.
 */
import { request } from "node:http";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NEWSROOM_PATHS } from "../../src/newsroom/pages/index.ts";
import type { Store } from "../../src/storage/store.ts";
import { makeContentDir, type TempContent } from "../fixtures/content/make-dir.ts";
import { elementsNamed, textOf } from "../helpers/html.ts";
import {
  addStaff,
  BROWSER_ACCEPT,
  sendFrom,
  staffClient,
  withServerStore,
} from "../helpers/newsroom.ts";
import {
  CAMERA_MAKE,
  containsText,
  phoneJpeg,
  pngBomb,
  SVG_WITH_SCRIPT,
  TEXT_AS_JPG,
  XMP_MARK,
} from "../helpers/pictures.ts";
import { startServer, type TestServer } from "../helpers/server.ts";

const STAFF = { username: "thu", password: "một mật khẩu đủ dài" };

let server: TestServer;
let content: TempContent;

beforeAll(async () => {
  content = await makeContentDir();
  server = await startServer({ contentDir: content.dir });
  await addStaff(server.dataDir, STAFF.username, STAFF.password);
}, 60_000);

afterAll(async () => {
  await server?.cleanup();
  await content?.cleanup();
});

const withStore = <T>(use: (store: Store) => Promise<T>) => withServerStore(server.dataDir, use);
const countPictures = () =>
  withStore(async (store) => (await store.listPictures({ limit: 100 })).items.length);

/** A logged-in staff member: its cookies and the page's CSRF token. */
async function staff() {
  const client = staffClient(sendFrom(server.origin));
  expect((await client.login(STAFF.username, STAFF.password)).status).toBe(303);
  const csrf = await client.csrfToken();
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return { client, csrf, cookie };
}

/** POSTs the upload form as a browser would (multipart), with `fields` and a file. */
async function upload(
  session: { cookie: string; csrf?: string },
  file: { bytes: Uint8Array; name: string; type: string } | null,
  fields: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  if (session.csrf !== undefined) form.set("csrf", session.csrf);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set("file", new Blob([file.bytes], { type: file.type }), file.name);
  return fetch(new URL(NEWSROOM_PATHS.media, server.origin), {
    method: "POST",
    body: form,
    headers: { Accept: BROWSER_ACCEPT, Cookie: session.cookie },
    redirect: "manual",
  });
}

describe("uploading a picture", () => {
  // Generous timeouts: sharp shares two cores with the rest of the suite.
  it("stores a phone's photo without its GPS position or camera, and serves every width", {
    timeout: 120_000,
  }, async () => {
    const session = await staff();
    const before = await countPictures();
    const photo = await phoneJpeg(2600, 1800);
    const res = await upload(
      session,
      { bytes: photo, name: "IMG_2041.JPG", type: "image/jpeg" },
      { alt: "Họp tổ dân phố số 3 tại nhà văn hóa" },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${NEWSROOM_PATHS.media}?done=uploaded`);
    expect(await countPictures()).toBe(before + 1);

    const page = await session.client.get(`${NEWSROOM_PATHS.media}?done=uploaded`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    expect(textOf(html)).toContain("Đã tải ảnh lên");
    const img = elementsNamed(html, "img").find((i) =>
      i.attribs.alt?.startsWith("Họp tổ dân phố số 3"),
    );
    expect(img?.attribs.src).toMatch(/^\/pictures\/[0-9a-f]{16}\/full\.jpg$/);
    const srcset = (img?.attribs.srcset ?? "").split(", ").map((s) => s.split(" ")[0] ?? "");
    expect(srcset.map((u) => u.split("/").at(-1))).toEqual([
      "480.webp",
      "960.webp",
      "1600.webp",
      "full.jpg",
    ]);
    for (const path of srcset) {
      // Public: no session needed.
      const served = await fetch(new URL(path, server.origin));
      expect(served.status, path).toBe(200);
      expect(served.headers.get("content-type")).toBe(
        path.endsWith(".jpg") ? "image/jpeg" : "image/webp",
      );
      expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(served.headers.get("x-content-type-options")).toBe("nosniff");
      const bytes = new Uint8Array(await served.arrayBuffer());
      for (const text of ["GPS", CAMERA_MAKE, XMP_MARK, "Exif"]) {
        expect(containsText(bytes, text), `${text} in ${path}`).toBe(false);
      }
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      // Upright: the phone held the camera sideways (orientation 6).
      expect(meta.height ?? 0).toBeGreaterThan(meta.width ?? 0);
      const again = await fetch(new URL(path, server.origin), {
        headers: { "If-None-Match": served.headers.get("etag") ?? "" },
      });
      expect(again.status).toBe(304);
    }
    // One URL per byte string: another extension, an unknown width or picture is 404.
    const base = srcset[0]?.replace(/\/[^/]+$/, "") ?? "";
    for (const path of [
      `${base}/full.png`,
      `${base}/2400.webp`,
      "/pictures/ffffffffffffffff/full.jpg",
      `${base}/../x`,
    ]) {
      expect((await fetch(new URL(path, server.origin))).status, path).toBe(404);
    }
  });

  it("refuses an SVG with a script and a text file named .jpg, by their bytes, storing nothing", async () => {
    const session = await staff();
    const before = await countPictures();
    for (const [file, message] of [
      [{ bytes: SVG_WITH_SCRIPT, name: "anh.jpg", type: "image/jpeg" }, /SVG/],
      [{ bytes: TEXT_AS_JPG, name: "anh.jpg", type: "image/jpeg" }, /không phải là ảnh/],
      [{ bytes: pngBomb(), name: "anh.png", type: "image/png" }, /megapixel/],
    ] as const) {
      const res = await upload(session, file, { alt: "Mô tả đã viết" });
      expect(res.status, file.name).toBe(415);
      const html = await res.text();
      expect(textOf(html)).toMatch(message);
      // The form comes back with what was written.
      expect(html).toContain("Mô tả đã viết");
    }
    expect(await countPictures()).toBe(before);
  });

  it("refuses more than 20 MB with 413 before reading it, storing nothing", {
    timeout: 120_000,
  }, async () => {
    const session = await staff();
    const before = await countPictures();
    const headers = {
      Accept: BROWSER_ACCEPT,
      Cookie: session.cookie,
      "Content-Type": "multipart/form-data; boundary=x",
    };
    // Declared too large: answered from the header, before the body is read.
    const declared = await postUntilAnswered(server.origin, NEWSROOM_PATHS.media, {
      ...headers,
      "Content-Length": String(21 * 1024 * 1024),
    });
    expect(declared.status).toBe(413);
    expect(textOf(declared.body)).toMatch(/lớn hơn 20 MB/);
    // Chunked, without a length: cut once 20 MB have streamed in.
    const chunked = await postUntilAnswered(server.origin, NEWSROOM_PATHS.media, {
      ...headers,
      "Transfer-Encoding": "chunked",
    });
    expect(chunked.status).toBe(413);
    expect(chunked.sent).toBeGreaterThan(20 * 1024 * 1024);
    expect(await countPictures()).toBe(before);
  });

  it("needs the alt text, the CSRF token and a session", async () => {
    const session = await staff();
    const before = await countPictures();
    const photo = { bytes: await phoneJpeg(600, 400), name: "a.jpg", type: "image/jpeg" };
    const noAlt = await upload(session, photo, { alt: "   " });
    expect(noAlt.status).toBe(400);
    expect(textOf(await noAlt.text())).toMatch(/Cần mô tả ảnh/);
    const noToken = await upload({ cookie: session.cookie }, photo, { alt: "x" });
    expect(noToken.status).toBe(403);
    await noToken.body?.cancel();
    const anonymous = await upload({ cookie: "", csrf: session.csrf }, photo, { alt: "x" });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe(NEWSROOM_PATHS.login);
    expect(await countPictures()).toBe(before);
  });

  it("lets staff change the alt text, never to nothing", async () => {
    const session = await staff();
    const res = await upload(
      session,
      { bytes: await phoneJpeg(800, 600), name: "b.jpg", type: "image/jpeg" },
      { alt: "Chợ phiên" },
    );
    expect(res.status).toBe(303);
    const id = await withStore(
      async (store) => (await store.listPictures({ limit: 1 })).items[0]?.id,
    );
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const saved = await session.client.post(NEWSROOM_PATHS.mediaAlt, {
      csrf: session.csrf,
      id: id ?? "",
      alt: "Chợ phiên sáng chủ nhật ở phường Nghi Thủy",
    });
    expect(saved.status).toBe(303);
    const emptied = await session.client.post(NEWSROOM_PATHS.mediaAlt, {
      csrf: session.csrf,
      id: id ?? "",
      alt: "",
    });
    expect(emptied.status).toBe(400);
    const unknown = await session.client.post(NEWSROOM_PATHS.mediaAlt, {
      csrf: session.csrf,
      id: "ffffffffffffffff",
      alt: "x",
    });
    expect(unknown.status).toBe(404);
    expect(await withStore(async (store) => (await store.getPicture(id ?? ""))?.alt)).toBe(
      "Chợ phiên sáng chủ nhật ở phường Nghi Thủy",
    );
    // Who uploaded and who changed the text is in the audit trail.
    const audit = await withStore(
      async (store) => (await store.listAudit({ action: "media.", limit: 100 })).items,
    );
    expect(audit.find((e) => e.action === "media.alt" && e.subject === id)).toMatchObject({
      actor: STAFF.username,
      outcome: "ok",
    });
    expect(audit.find((e) => e.action === "media.upload" && e.subject === id)).toMatchObject({
      actor: STAFF.username,
      outcome: "ok",
    });
  });
});

describe("deleting a picture", () => {
  it("refuses while an article uses it, naming the article; otherwise its every URL is gone", {
    timeout: 120_000,
  }, async () => {
    const session = await staff();
    const uploaded: string[] = [];
    for (const alt of ["Cầu cảng Cửa Hội", "Bãi biển lúc bình minh"]) {
      const res = await upload(
        session,
        { bytes: await phoneJpeg(800, 600), name: "c.jpg", type: "image/jpeg" },
        { alt },
      );
      expect(res.status).toBe(303);
      const id = await withStore(
        async (store) => (await store.listPictures({ limit: 1 })).items[0]?.id,
      );
      uploaded.push(id ?? "");
    }
    const [used = "", unused = ""] = uploaded;
    const draft = await session.client.post("/admin/articles/new", {
      csrf: session.csrf,
      title: "Khánh thành cầu cảng",
      summary: "",
      body: "Nội dung.",
      tags: "",
      author: "",
      language: "vi",
      published: "",
      slug: "",
      image: used,
      image_alt: "",
      action: "save",
    });
    expect(draft.status).toBe(303);

    const refused = await session.client.post(NEWSROOM_PATHS.mediaDelete, {
      csrf: session.csrf,
      id: used,
    });
    expect(refused.status).toBe(409);
    expect(textOf(await refused.text())).toContain("«Khánh thành cầu cảng»");
    expect((await fetch(new URL(`/pictures/${used}/full.jpg`, server.origin))).status).toBe(200);

    const page = await (await session.client.get(NEWSROOM_PATHS.media)).text();
    const urls = elementsNamed(page, "img")
      .filter((i) => i.attribs.src?.includes(unused))
      .flatMap((i) => (i.attribs.srcset ?? "").split(", ").map((s) => s.split(" ")[0] ?? ""));
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const path of urls) expect((await fetch(new URL(path, server.origin))).status).toBe(200);
    const deleted = await session.client.post(NEWSROOM_PATHS.mediaDelete, {
      csrf: session.csrf,
      id: unused,
    });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get("location")).toBe(`${NEWSROOM_PATHS.media}?done=picture-deleted`);
    for (const path of urls) {
      expect((await fetch(new URL(path, server.origin))).status, path).toBe(404);
    }
    const after = await (await session.client.get(NEWSROOM_PATHS.media)).text();
    expect(after).not.toContain(unused);
    expect(after).toContain(used);
    // Without the page's token, nothing is deleted.
    const forged = await session.client.post(NEWSROOM_PATHS.mediaDelete, { id: used });
    expect(forged.status).toBe(403);
    const audit = await withStore(
      async (store) => (await store.listAudit({ action: "media.delete", limit: 10 })).items,
    );
    expect(audit.map((e) => [e.subject, e.outcome])).toEqual([
      [unused, "ok"],
      [used, "failed"],
    ]);
  });
});

/**
 * POSTs an endless body (1 MiB chunks) and stops writing as soon as the
 * server answers, as a browser does: the server stops reading an oversized
 * body and closes the connection soon after its answer, so a client that
 * insisted on sending everything would see the connection reset instead.
 */
function postUntilAnswered(
  origin: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(1024 * 1024, 0x41);
    let answered = false;
    let sent = 0;
    const req = request(new URL(path, origin), { method: "POST", headers }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString("utf8"), sent });
      });
      res.on("error", reject);
    });
    // Writing may fail once the server has answered and closed: that is expected.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const limit = Number(headers["Content-Length"] ?? 64 * 1024 * 1024);
    const write = () => {
      while (!answered && sent + chunk.length <= limit) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", write);
          return;
        }
      }
    };
    write();
  });
}
