/**
 * Sessions, CSRF and the guard, in process on a real SQLite store. The
 * same promises over real HTTP against the real server are in
 * `tests/newsroom/security.test.ts`.
 */
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { reply } from "../../../tests/fixtures/replies.ts";
import { textOf } from "../../../tests/helpers/html.ts";
import {
  type NewsroomApp,
  newsroomApp,
  ORIGIN,
  STAFF,
} from "../../../tests/helpers/newsroom-app.ts";
import { SESSION_LIFETIME_MS } from "./cookies.ts";

let app: NewsroomApp;

beforeEach(async () => {
  app = await newsroomApp();
});
afterEach(() => app.close());

describe("a session", () => {
  it("is stored as the SHA-256 of the cookie's token, never the token", async () => {
    const staff = await app.signedIn();
    const token = staff.cookies.get("__Host-loa_session") ?? "";
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const id = createHash("sha256").update(token).digest("hex");
    const session = await app.storage.store.getSession(id, new Date("2021-03-18T10:00:00Z"));
    expect(session?.username).toBe(STAFF.username);
    expect(await app.storage.store.getSession(token, new Date("2021-03-18T10:00:00Z"))).toBeNull();
    // The login form's token was for the form only.
    expect(staff.cookies.has("__Host-loa_login")).toBe(false);
  });

  it("ends after 12 hours: a browser is sent to log in again and told why", async () => {
    const staff = await app.signedIn();
    app.advance(SESSION_LIFETIME_MS - 60_000);
    expect((await staff.get("/admin/")).status).toBe(200);
    app.advance(120_000);
    const res = await staff.get("/admin/");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/login?expired=1");
    expect(staff.cookies.has("__Host-loa_session")).toBe(false);
    const form = textOf(await (await staff.get("/admin/login?expired=1")).text());
    expect(form).toContain("Phiên làm việc đã hết hạn");
  });

  it("a second login gives a new session; the login form sends a signed-in browser home", async () => {
    const first = await app.signedIn();
    const second = await app.signedIn();
    expect(second.cookies.get("__Host-loa_session")).not.toBe(
      first.cookies.get("__Host-loa_session"),
    );
    const res = await first.get("/admin/login");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/");
  });

  it("logging out ends the session in the store, so the old cookie opens nothing", async () => {
    const staff = await app.signedIn();
    const cookie = `__Host-loa_session=${staff.cookies.get("__Host-loa_session")}`;
    const csrf = await staff.csrfToken();
    const res = await staff.post("/admin/logout", { csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/login");
    expect(staff.cookies.has("__Host-loa_session")).toBe(false);
    const replay = await app.browser().get("/admin/", { Cookie: cookie, Accept: "*/*" });
    expect(replay.status).toBe(401);
  });
});

describe("a state-changing request", () => {
  it("from another origin is refused with 403 even with the right token, and changes nothing", async () => {
    const staff = await app.signedIn();
    const csrf = await staff.csrfToken();
    const r = reply("an", { state: "pending" });
    await app.storage.store.putInteraction(r);
    const foreign: Record<string, string>[] = [
      { Origin: "https://evil.example" },
      { "Sec-Fetch-Site": "cross-site" },
      { "Sec-Fetch-Site": "same-site", Origin: ORIGIN },
    ];
    for (const headers of foreign) {
      const res = await staff.post("/admin/replies/approve", { csrf, id: r.id }, headers);
      expect(res.status).toBe(403);
    }
    expect((await app.storage.store.getInteraction(r.id))?.state).toBe("pending");
    // What a browser sends from our own form under `no-referrer`.
    const ours = await staff.post(
      "/admin/replies/approve",
      { csrf, id: r.id },
      { Origin: "null", "Sec-Fetch-Site": "same-origin" },
    );
    expect(ours.status).toBe(303);
    expect((await app.storage.store.getInteraction(r.id))?.state).toBe("approved");
  });

  it("with another session's token is refused", async () => {
    const staff = await app.signedIn();
    const other = await (await app.signedIn()).csrfToken();
    const r = reply("an", { state: "pending" });
    await app.storage.store.putInteraction(r);
    const res = await staff.post("/admin/replies/approve", { csrf: other, id: r.id });
    expect(res.status).toBe(403);
    expect(textOf(await res.text())).toContain("không có gì thay đổi");
    expect((await app.storage.store.getInteraction(r.id))?.state).toBe("pending");
  });
});

describe("logging in", () => {
  it("without the login form's own token is refused and starts no session", async () => {
    const browser = app.browser();
    const res = await browser.post("/admin/login", {
      username: STAFF.username,
      password: STAFF.password,
    });
    expect(res.status).toBe(403);
    expect(browser.cookies.has("__Host-loa_session")).toBe(false);
    // The refusal hands out a fresh form, so a second try works.
    const form = await res.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(form)?.[1] ?? "";
    const retry = await browser.post("/admin/login", { csrf, ...STAFF });
    expect(retry.status).toBe(303);
  });

  it("with a wrong password says so, keeps the name typed, and starts no session", async () => {
    const browser = app.browser();
    const res = await browser.login("THU", "not the password");
    expect(res.status).toBe(401);
    const page = await res.text();
    expect(textOf(page)).toContain("Tên đăng nhập hoặc mật khẩu không đúng.");
    expect(page).toContain('value="thu"');
    expect(page).not.toContain("not the password");
    expect(browser.cookies.has("__Host-loa_session")).toBe(false);
    expect((await app.browser().login("nobody", STAFF.password)).status).toBe(401);
  });
});

describe("signed in", () => {
  it("an unknown path is a 404, a known one with the wrong method a 405, /admin goes to /admin/", async () => {
    const staff = await app.signedIn();
    const missing = await staff.get("/admin/nope");
    expect(missing.status).toBe(404);
    expect(textOf(await missing.text())).toContain("Không có trang này");
    const wrong = await staff.get("/admin/replies/approve");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    const bare = await staff.get("/admin");
    expect(bare.status).toBe(308);
    expect(bare.headers.get("location")).toBe("/admin/");
  });
});
