/**
 * The newsroom's security promises (the contract's "The newsroom"), against
 * the real server in its own process over real HTTP on loopback, with the
 * staff account made by the real `npm run staff`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NEWSROOM_CSP, NEWSROOM_PATHS } from "../../src/newsroom/pages/index.ts";
import type { Interaction } from "../../src/storage/interactions.ts";
import type { Store } from "../../src/storage/store.ts";
import { articleText, makeContentDir, type TempContent } from "../fixtures/content/make-dir.ts";
import { reply } from "../fixtures/replies.ts";
import { textOf } from "../helpers/html.ts";
import {
  addStaff,
  BROWSER_ACCEPT,
  sendFrom,
  staffClient,
  withServerStore,
} from "../helpers/newsroom.ts";
import { startServer, type TestServer } from "../helpers/server.ts";

const SLUG = "thong-bao-lich-tiep-dan";
const STAFF = { username: "thu", password: "một mật khẩu đủ dài" };
const LOCKED = { username: "khoa", password: "mật khẩu của khoa 2021" };

let server: TestServer;
let content: TempContent;

beforeAll(async () => {
  content = await makeContentDir({
    [`articles/${SLUG}.md`]: articleText([
      'title: "Thông báo lịch tiếp dân"',
      "published: 2021-03-18T15:00:00+07:00",
    ]),
  });
  server = await startServer({ contentDir: content.dir });
  await addStaff(server.dataDir, STAFF.username, STAFF.password);
  await addStaff(server.dataDir, LOCKED.username, LOCKED.password);
});

afterAll(async () => {
  await server?.cleanup();
  await content?.cleanup();
});

const withStore = <T>(use: (store: Store) => Promise<T>) => withServerStore(server.dataDir, use);

function pendingReply(user: string): Interaction {
  return reply(user, {
    state: "pending",
    slug: SLUG,
    inReplyTo: `${server.origin}/articles/${SLUG}`,
  });
}

const browser = (from?: string) => staffClient(sendFrom(server.origin, from));

async function signedIn() {
  const staff = browser();
  const res = await staff.login(STAFF.username, STAFF.password);
  expect(res.status).toBe(303);
  return staff;
}

/** Every newsroom path but the login form, and paths that do not exist. */
const GUARDED = [
  ...Object.values(NEWSROOM_PATHS).filter((p) => p !== NEWSROOM_PATHS.login),
  "/admin",
  "/admin/khong-co-trang-nay",
  "/admin/replies",
];

describe("without a session", () => {
  it.each(GUARDED)("%s sends a browser to the login form, for GET and POST alike", async (path) => {
    const anonymous = browser();
    for (const res of [
      await anonymous.get(path),
      await anonymous.post(path, { csrf: "x", id: "y", domain: "spam.example" }),
    ]) {
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/admin/login");
      expect(res.headers.get("cache-control")).toBe("no-store");
      await res.body?.cancel();
    }
  });

  it.each(GUARDED)("%s answers anything but a browser with 401", async (path) => {
    const send = sendFrom(server.origin);
    for (const init of [
      { headers: { Accept: "application/json" } },
      { headers: { Accept: "application/activity+json" } },
      {},
      {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "csrf=x&id=y",
      },
    ]) {
      const res = await send(path, init);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBeTruthy();
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toMatchObject({ login: "/admin/login" });
    }
  });

  it("a made-up session cookie opens nothing", async () => {
    const res = await sendFrom(server.origin)("/admin/", {
      headers: { Cookie: `loa_session=${"A".repeat(43)}` },
    });
    expect(res.status).toBe(401);
  });
});

describe("the session cookie", () => {
  // Path=/ as the __Host- prefix demands over https; the same on http, so both behave alike.
  it("is HttpOnly, SameSite=Lax, Path=/, no Domain, and not Secure on an http ORIGIN", async () => {
    const staff = browser();
    const res = await staff.login(STAFF.username, STAFF.password);
    const session = res.headers.getSetCookie().find((c) => c.startsWith("loa_session="));
    expect(session).toBeDefined();
    const attributes = (session ?? "")
      .split(";")
      .slice(1)
      .map((a) => a.trim().toLowerCase());
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=lax");
    expect(attributes).toContain("path=/");
    expect(attributes).not.toContain("secure");
    expect(attributes.some((a) => a.startsWith("domain="))).toBe(false);
    expect((session ?? "").split(";")[0]).toMatch(/^loa_session=[A-Za-z0-9_-]{43}$/);
  });
});

describe("staff pages", () => {
  it("are never cached and keep the newsroom's strict policy, the login form included", async () => {
    const login = await browser().get(NEWSROOM_PATHS.login);
    expect(login.status).toBe(200);
    const staff = await signedIn();
    const pages = [
      NEWSROOM_PATHS.queue,
      NEWSROOM_PATHS.mentions,
      NEWSROOM_PATHS.followers,
      NEWSROOM_PATHS.deliveries,
      NEWSROOM_PATHS.blocks,
    ];
    for (const res of [login, ...(await Promise.all(pages.map((p) => staff.get(p))))]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("content-security-policy")).toBe(NEWSROOM_CSP);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      await res.body?.cancel();
    }
  });

  it("logging out ends the session: its cookie no longer opens the queue", async () => {
    const staff = await signedIn();
    const cookie = `loa_session=${staff.cookies.get("loa_session")}`;
    const csrf = await staff.csrfToken();
    const out = await staff.post(NEWSROOM_PATHS.logout, { csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe(NEWSROOM_PATHS.login);
    expect(out.headers.get("cache-control")).toBe("no-store");
    const again = await sendFrom(server.origin)(NEWSROOM_PATHS.queue, {
      headers: { Cookie: cookie },
    });
    expect(again.status).toBe(401);
  });
});

describe("a POST without the CSRF token", () => {
  it("is refused with 403 and changes nothing", async () => {
    const r = pendingReply("an");
    await withStore((store) => store.putInteraction(r));
    const staff = await signedIn();
    const csrf = await staff.csrfToken();
    const attempts: [string, Record<string, string>][] = [
      [NEWSROOM_PATHS.approve, { id: r.id }],
      [NEWSROOM_PATHS.approve, { id: r.id, csrf: "" }],
      [NEWSROOM_PATHS.approve, { id: r.id, csrf: `${csrf.slice(0, -1)}x` }],
      [NEWSROOM_PATHS.reject, { id: r.id }],
      [NEWSROOM_PATHS.blockActor, { id: r.id, actor: r.author.actorId }],
      [NEWSROOM_PATHS.blockDomain, { id: r.id, domain: "social.example" }],
      [NEWSROOM_PATHS.logout, {}],
    ];
    for (const [path, fields] of attempts) {
      const res = await staff.post(path, fields);
      expect(res.status).toBe(403);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(textOf(await res.text())).toContain("không có gì thay đổi");
    }
    await withStore(async (store) => {
      expect((await store.getInteraction(r.id))?.state).toBe("pending");
      expect(await store.listBlocks()).toEqual([]);
    });
    // The session survived the refused logout, and with the token the same POST works.
    const ok = await staff.post(NEWSROOM_PATHS.approve, { id: r.id, csrf });
    expect(ok.status).toBe(303);
    await withStore(async (store) => {
      expect((await store.getInteraction(r.id))?.state).toBe("approved");
    });
  });
});

describe("login throttling", () => {
  it("after 10 wrong passwords the account gets 429 for 15 minutes, even with the right password from another address", async () => {
    const guesser = browser("127.0.0.1");
    for (let i = 0; i < 10; i++) {
      const res = await guesser.login(LOCKED.username, `sai mật khẩu ${i}`);
      expect(res.status).toBe(401);
      await res.body?.cancel();
    }
    const owner = browser("127.0.0.2");
    const res = await owner.login(LOCKED.username, LOCKED.password);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBe(900);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const page = await res.text();
    expect(textOf(page)).toContain("Đăng nhập sai quá nhiều lần. Xin thử lại sau 15 phút.");
    expect(page).toContain('name="password"');
    expect(owner.cookies.has("loa_session")).toBe(false);
    // Another account from the guesser's address is not locked by it.
    expect((await browser("127.0.0.1").login(STAFF.username, STAFF.password)).status).toBe(303);
  });

  it("after 30 failures from one address, that address gets 429 for every account", async () => {
    const guesser = browser("127.0.0.3");
    for (let i = 0; i < 30; i++) {
      const res = await guesser.login(`khong-co-${i}`, "sai mật khẩu");
      expect(res.status).toBe(401);
      await res.body?.cancel();
    }
    const locked = await guesser.login(STAFF.username, STAFF.password);
    expect(locked.status).toBe(429);
    await locked.body?.cancel();
    expect((await browser("127.0.0.4").login(STAFF.username, STAFF.password)).status).toBe(303);
  });
});

describe("the login form", () => {
  it("refuses a POST without its own token (login CSRF) with 403, starting no session", async () => {
    const res = await sendFrom(server.origin)(NEWSROOM_PATHS.login, {
      method: "POST",
      headers: { Accept: BROWSER_ACCEPT, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(STAFF).toString(),
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((c) => c.startsWith("loa_session="))).toBe(false);
  });
});
