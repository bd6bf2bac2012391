/**
 * `/admin/staff` and the one-time link over real HTTP on loopback: an admin
 * adds, changes, removes and resets accounts and never sees a password; the
 * member sets it through the link, once and in time; other roles get 403
 * and change nothing; hostile forms get a clear 4xx and change nothing.
 */
import { createServer, type Server } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureArticles, fixtureSite } from "../../../tests/fixtures/articles.ts";
import { textOf } from "../../../tests/helpers/html.ts";
import {
  BROWSER_ACCEPT,
  type StaffClient,
  sendFrom,
  staffClient,
} from "../../../tests/helpers/newsroom.ts";
import { freePort } from "../../../tests/helpers/ports.ts";
import { tempDir } from "../../../tests/storage/backends.ts";
import type { MailMessage } from "../../mail/types.ts";
import type { AuditRecord } from "../../storage/audit.ts";
import { openStorage, type Storage } from "../../storage/open.ts";
import type { StaffRole } from "../../storage/staff.ts";
import { createUrls } from "../../urls.ts";
import { NEWSROOM_PATHS } from "../pages/index.ts";
import { hashPassword } from "../password.ts";
import { newsroomRoutes } from "./index.ts";
import { LINK_LIFETIME_MS } from "./one-time-link.ts";

const ADMIN = { username: "thu", password: "mật khẩu đủ dài 2021" };
const NEW_PASSWORD = "mật khẩu mới của tôi";

let storage: Storage;
let server: Server;
let origin: string;
let now = Date.parse("2021-03-18T10:00:00Z");
const mail: MailMessage[] = [];

beforeAll(async () => {
  storage = await openStorage({ dataDir: tempDir(), databaseUrl: undefined });
  await storage.store.putStaff({
    username: ADMIN.username,
    passwordHash: await hashPassword(ADMIN.password),
    createdAt: new Date("2021-03-01T00:00:00Z"),
    roles: ["admin"],
  });
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  const routes = newsroomRoutes({
    store: storage.store,
    conversations: { changed: () => {} },
    clock: () => new Date(now),
    config: { origin: new URL(origin) },
    content: {
      current: () => ({
        site: fixtureSite,
        articles: fixtureArticles,
        problems: [],
        brokenFiles: [],
        drafts: [],
      }),
    },
    urls: createUrls(new URL(origin)),
    mail: { enqueue: async (message) => void mail.push(message) },
  });
  server = createServer(getRequestListener(new Hono().route("/", routes).fetch));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await storage?.close();
});

const browser = () => staffClient(sendFrom(origin));
const store = () => storage.store;

async function signedIn(username = ADMIN.username, password = ADMIN.password) {
  const client = browser();
  const res = await client.login(username, password);
  if (res.status !== 303) throw new Error(`login of ${username} failed: ${res.status}`);
  return { client, csrf: await client.csrfToken() };
}

/** A form with repeated fields, as a browser sends checked boxes. */
function postPairs(client: StaffClient, path: string, pairs: [string, string][]) {
  const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  return sendFrom(origin)(path, {
    method: "POST",
    headers: {
      Accept: BROWSER_ACCEPT,
      "Content-Type": "application/x-www-form-urlencoded",
      Cookie: cookie,
    },
    body: new URLSearchParams(pairs).toString(),
  });
}

/** A member with `roles` and a password, added straight to the store. */
async function member(username: string, roles: StaffRole[], email: string | null = null) {
  await store().putStaff({
    username,
    passwordHash: await hashPassword(ADMIN.password),
    createdAt: new Date(now),
    roles,
    email,
  });
}

/** The one-time link on an answer's page (its path on the server). */
async function linkOn(res: Response): Promise<string> {
  const page = await res.text();
  const url = /<textarea id="one-time-link"[^>]*>([^<]+)<\/textarea>/.exec(page)?.[1];
  if (url === undefined) throw new Error(`no one-time link on the page (${res.status})`);
  return new URL(url.replaceAll("&amp;", "&")).pathname;
}

async function setPassword(path: string, password = NEW_PASSWORD, confirm = password) {
  return await browser().post(path, { password, confirm, username: "ignored" });
}

const auditOf = async (action: string): Promise<AuditRecord[]> =>
  (await store().listAudit({ limit: 100, action })).items;

describe("an admin manages staff in the browser", () => {
  it("adds a writer: the link is shown once and mailed, and sets the member's password", async () => {
    const { client, csrf } = await signedIn();
    const list = await client.get(NEWSROOM_PATHS.staff);
    expect(list.status).toBe(200);
    expect(list.headers.get("cache-control")).toBe("no-store");
    expect(textOf(await list.text())).toContain("Nhân sự");

    const res = await client.post(NEWSROOM_PATHS.staffAdd, {
      csrf,
      username: "Viet",
      roles: "writer",
      email: "viet@cualo.example",
    });
    expect(res.status).toBe(200);
    const path = await linkOn(res);
    expect(path).toMatch(/^\/admin\/password\/[A-Za-z0-9_-]{43}$/);
    const account = await store().getStaff("viet");
    expect(account).toMatchObject({ roles: ["writer"], email: "viet@cualo.example" });
    const sent = mail.filter((m) => m.to === "viet@cualo.example");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain(`${origin}${path}`);
    expect(sent[0]?.subject).toContain("đặt mật khẩu");
    // Nobody knows the password until the member sets one, and the list says so.
    expect((await browser().login("viet", ADMIN.password)).status).toBe(401);
    const entry = (page: string) =>
      textOf(/<li id="staff-viet">[\s\S]*?<\/li>\n/.exec(page)?.[0] ?? "");
    expect(entry(await (await client.get(NEWSROOM_PATHS.staff)).text())).toContain(
      "Chưa đặt mật khẩu",
    );

    const form = await browser().get(path);
    expect(form.status).toBe(200);
    expect(form.headers.get("referrer-policy")).toBe("no-referrer");
    expect(form.headers.get("cache-control")).toBe("no-store");
    expect(textOf(await form.text())).toContain("viet");

    const set = await setPassword(path);
    expect(set.status).toBe(303);
    expect(set.headers.get("location")).toBe("/admin/login?password-set=1");
    expect((await browser().login("viet", NEW_PASSWORD)).status).toBe(303);
    const listed = entry(await (await client.get(NEWSROOM_PATHS.staff)).text());
    expect(listed).toContain("viet");
    expect(listed).not.toContain("Chưa đặt mật khẩu");
    expect((await auditOf("staff.add"))[0]).toMatchObject({ actor: "thu", subject: "viet" });
    expect((await auditOf("password.set"))[0]).toMatchObject({
      actor: "viet",
      outcome: "ok",
    });

    // Used once: a second use changes nothing.
    const again = await setPassword(path, "một mật khẩu khác hẳn");
    expect(again.status).toBe(410);
    expect(textOf(await again.text())).toContain("đã được dùng");
    expect((await browser().login("viet", NEW_PASSWORD)).status).toBe(303);
    expect((await auditOf("password.set"))[0]).toMatchObject({ outcome: "failed" });
  });

  it("changes roles and e-mail, and a member whose roles change is logged out at once", async () => {
    await member("bien", ["writer"]);
    const bien = await signedIn("bien");
    expect((await bien.client.get("/admin/articles")).status).toBe(200);
    const { client, csrf } = await signedIn();
    const res = await client.post(NEWSROOM_PATHS.staffRoles, {
      csrf,
      username: "bien",
      roles: "editor",
    });
    expect(res.status).toBe(303);
    expect((await store().getStaff("bien"))?.roles).toEqual(["editor"]);
    const after = await bien.client.get("/admin/articles");
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toContain("/admin/login");
    expect((await auditOf("staff.roles"))[0]).toMatchObject({
      subject: "bien",
      detail: { roles: ["editor"], before: ["writer"] },
    });

    const email = await client.post(NEWSROOM_PATHS.staffEmail, {
      csrf,
      username: "bien",
      email: "bien@cualo.example",
    });
    expect(email.status).toBe(303);
    expect((await store().getStaff("bien"))?.email).toBe("bien@cualo.example");
    expect((await auditOf("staff.email"))[0]).toMatchObject({ subject: "bien", outcome: "ok" });
  });

  it("removes an account and its sessions; never its own, never the last admin", async () => {
    await member("cu", ["moderator"]);
    const cu = await signedIn("cu");
    const { client, csrf } = await signedIn();
    expect((await client.post(NEWSROOM_PATHS.staffRemove, { csrf, username: "cu" })).status).toBe(
      303,
    );
    expect(await store().getStaff("cu")).toBeNull();
    expect((await cu.client.get("/admin/")).status).toBe(303);
    expect((await auditOf("staff.remove"))[0]).toMatchObject({ subject: "cu", outcome: "ok" });

    // Even beside another admin, an admin keeps their own account and role.
    await member("hai", ["admin"]);
    const self = await client.post(NEWSROOM_PATHS.staffRemove, { csrf, username: "thu" });
    expect(self.status).toBe(409);
    expect(textOf(await self.text())).toContain("không thể tự xoá");
    const demote = await client.post(NEWSROOM_PATHS.staffRoles, {
      csrf,
      username: "thu",
      roles: "editor",
    });
    expect(demote.status).toBe(409);
    expect(textOf(await demote.text())).toContain("không thể tự bỏ vai trò quản trị viên");
    expect(await store().getStaff("thu")).toMatchObject({ roles: ["admin"] });
    expect((await auditOf("staff.remove"))[0]).toMatchObject({
      subject: "thu",
      outcome: "failed",
      detail: { reason: "self" },
    });
    expect((await client.post(NEWSROOM_PATHS.staffRemove, { csrf, username: "hai" })).status).toBe(
      303,
    );
  });

  it("forces a reset: the old password and sessions stop at once; the newest link alone works", async () => {
    await member("dung", ["editor"], "dung@cualo.example");
    const dung = await signedIn("dung");
    const { client, csrf } = await signedIn();
    const first = await linkOn(
      await client.post(NEWSROOM_PATHS.staffReset, { csrf, username: "dung" }),
    );
    expect((await dung.client.get("/admin/articles")).status).toBe(303);
    expect((await browser().login("dung", ADMIN.password)).status).toBe(401);
    expect(mail.at(-1)).toMatchObject({ to: "dung@cualo.example" });
    expect(mail.at(-1)?.text).toContain(first);

    const second = await linkOn(
      await client.post(NEWSROOM_PATHS.staffReset, { csrf, username: "dung" }),
    );
    expect((await setPassword(first)).status).toBe(404);
    expect((await setPassword(second, "ngắn")).status).toBe(400);
    expect((await setPassword(second, NEW_PASSWORD, "khác")).status).toBe(400);
    expect((await setPassword(second)).status).toBe(303);
    expect((await browser().login("dung", NEW_PASSWORD)).status).toBe(303);
    expect((await auditOf("staff.reset")).length).toBe(2);
  });

  it("refuses a link used late, and lets one of two simultaneous uses win", async () => {
    const { client, csrf } = await signedIn();
    const late = await linkOn(
      await client.post(NEWSROOM_PATHS.staffAdd, { csrf, username: "muon", roles: "writer" }),
    );
    const race = await linkOn(
      await client.post(NEWSROOM_PATHS.staffAdd, { csrf, username: "dua", roles: "writer" }),
    );
    // Posted from another site: refused, nothing changed, the link still works.
    const foreign = await browser().post(
      race,
      { password: NEW_PASSWORD, confirm: NEW_PASSWORD },
      { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
    );
    expect(foreign.status).toBe(403);
    expect((await browser().get(race)).status).toBe(200);
    const tries = await Promise.all([
      setPassword(race, NEW_PASSWORD),
      setPassword(race, "mật khẩu thứ hai dài"),
    ]);
    expect(tries.map((r) => r.status).sort()).toEqual([303, 410]);

    now += LINK_LIFETIME_MS.welcome;
    const hash = (await store().getStaff("muon"))?.passwordHash;
    expect((await browser().get(late)).status).toBe(410);
    const res = await setPassword(late);
    expect(res.status).toBe(410);
    expect(textOf(await res.text())).toContain("hết hạn");
    expect((await store().getStaff("muon"))?.passwordHash).toBe(hash);
  });
});

describe("refusals", () => {
  it("answers a writer, an editor and a moderator 403 on every staff page and action, on record", async () => {
    await member("nan", ["writer"]);
    const snapshot = async () => JSON.stringify(await store().listStaff());
    for (const [name, roles] of [
      ["w1", ["writer"]],
      ["e1", ["editor", "writer"]],
      ["m1", ["moderator"]],
    ] as const) {
      await member(name, [...roles]);
      const { client } = await signedIn(name);
      const csrf = await client.csrfToken();
      const before = await snapshot();
      expect((await client.get(NEWSROOM_PATHS.staff)).status, name).toBe(403);
      for (const path of [
        NEWSROOM_PATHS.staffAdd,
        NEWSROOM_PATHS.staffRoles,
        NEWSROOM_PATHS.staffEmail,
        NEWSROOM_PATHS.staffRemove,
        NEWSROOM_PATHS.staffReset,
      ]) {
        const res = await client.post(path, {
          csrf,
          username: path === NEWSROOM_PATHS.staffAdd ? "moi" : "nan",
          roles: "admin",
          email: "x@cualo.example",
        });
        expect(res.status, `${name} ${path}`).toBe(403);
      }
      expect(await snapshot()).toBe(before);
      const denied = (await store().listAudit({ limit: 100, actor: name, action: "forbidden" }))
        .items;
      expect(denied.map((r) => r.subject).sort()).toEqual(
        [
          `GET ${NEWSROOM_PATHS.staff}`,
          ...[
            NEWSROOM_PATHS.staffAdd,
            NEWSROOM_PATHS.staffRoles,
            NEWSROOM_PATHS.staffEmail,
            NEWSROOM_PATHS.staffRemove,
            NEWSROOM_PATHS.staffReset,
          ].map((p) => `POST ${p}`),
        ].sort(),
      );
    }
  });

  it("refuses hostile forms with a clear 4xx and changes nothing", async () => {
    await member("hoa", ["writer"]);
    const { client, csrf } = await signedIn();
    const before = JSON.stringify(await store().listStaff());
    const cases: [string, Record<string, string>, number][] = [
      [NEWSROOM_PATHS.staffAdd, { csrf, username: "a".repeat(65), roles: "writer" }, 400],
      [NEWSROOM_PATHS.staffAdd, { csrf, username: "x y", roles: "writer" }, 400],
      [NEWSROOM_PATHS.staffAdd, { csrf, username: "hoa", roles: "writer" }, 409],
      [NEWSROOM_PATHS.staffAdd, { csrf, username: "moi", roles: "root" }, 400],
      [NEWSROOM_PATHS.staffAdd, { csrf, username: "moi" }, 400],
      [
        NEWSROOM_PATHS.staffAdd,
        { csrf, username: "moi", roles: "writer", email: `${"a".repeat(250)}@x.vn` },
        400,
      ],
      [NEWSROOM_PATHS.staffAdd, { csrf, username: "moi", roles: "writer", email: "a@b" }, 400],
      [
        NEWSROOM_PATHS.staffAdd,
        { csrf, username: "moi", roles: "writer", password: "chọn hộ mật khẩu" },
        400,
      ],
      [NEWSROOM_PATHS.staffAdd, { username: "moi", roles: "writer" }, 403],
      [NEWSROOM_PATHS.staffRoles, { csrf, username: "hoa", roles: "superuser" }, 400],
      [NEWSROOM_PATHS.staffRoles, { csrf, username: "khong-co", roles: "editor" }, 404],
      [NEWSROOM_PATHS.staffEmail, { csrf, username: "hoa", email: "a\r\nBcc: x@y.vn" }, 400],
      [NEWSROOM_PATHS.staffEmail, { csrf, username: "khong-co", email: "" }, 404],
      [NEWSROOM_PATHS.staffRemove, { csrf, username: "khong-co" }, 404],
      [NEWSROOM_PATHS.staffRemove, { csrf: "sai", username: "hoa" }, 403],
      [NEWSROOM_PATHS.staffReset, { csrf, username: "khong-co" }, 404],
    ];
    for (const [path, fields, status] of cases) {
      const res = await client.post(path, fields);
      expect(res.status, `${path} ${JSON.stringify(fields).slice(0, 80)}`).toBe(status);
    }
    // Repeated roles beyond the four there are.
    const many = await postPairs(client, NEWSROOM_PATHS.staffRoles, [
      ["csrf", csrf],
      ["username", "hoa"],
      ...Array.from({ length: 5 }, (): [string, string] => ["roles", "writer"]),
    ]);
    expect(many.status).toBe(400);
    expect(JSON.stringify(await store().listStaff())).toBe(before);
    // As the form's checkboxes send them, several roles are taken.
    const two = await postPairs(client, NEWSROOM_PATHS.staffRoles, [
      ["csrf", csrf],
      ["username", "hoa"],
      ["roles", "editor"],
      ["roles", "writer"],
    ]);
    expect(two.status).toBe(303);
    expect((await store().getStaff("hoa"))?.roles).toEqual(["writer", "editor"]);
    expect(
      (await auditOf("staff.add")).filter((r) => r.outcome === "failed").length,
    ).toBeGreaterThan(0);
    // A made-up or malformed token opens nothing, and a stranger cannot fill the trail with it.
    const trail = (await store().listAudit({ limit: 1000 })).items.length;
    expect((await browser().get("/admin/password/not-a-token")).status).toBe(404);
    for (const token of ["x", "A".repeat(43)]) {
      const res = await setPassword(`/admin/password/${token}`);
      expect(res.status).toBe(404);
      expect(textOf(await res.text())).toContain("không dùng được");
    }
    expect((await store().listAudit({ limit: 1000 })).items.length).toBe(trail);
  });
});
