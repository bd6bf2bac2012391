/**
 * An editor at the newsroom's real HTTP routes, reduced to what the publish
 * timing needs: log in through the login form, then publish a new article
 * with the article form's `publish` button.
 */
import { hashPassword } from "../../src/newsroom/password.ts";
import { openStorage } from "../../src/storage/open.ts";

export const EDITOR = { username: "bench-editor", password: "bench-editor-password-long" };

/** Creates the editor's account in `dataDir` (the server must not run yet). */
export async function addEditor(dataDir: string): Promise<void> {
  const storage = await openStorage({ dataDir, databaseUrl: undefined });
  try {
    await storage.store.putStaff({
      username: EDITOR.username,
      passwordHash: await hashPassword(EDITOR.password),
      createdAt: new Date(),
      roles: ["editor"],
    });
  } finally {
    await storage.close();
  }
}

/** Adds one follower whose inbox is `${origin}/u/0/inbox` (the server must not run yet). */
export async function addFollower(dataDir: string, origin: string): Promise<void> {
  const storage = await openStorage({ dataDir, databaseUrl: undefined });
  try {
    const actorId = `${origin}/u/0`;
    await storage.store.addFollower({
      actorId,
      followId: `${actorId}/follows/1`,
      inbox: `${actorId}/inbox`,
      sharedInbox: null,
      createdAt: new Date(),
    });
  } finally {
    await storage.close();
  }
}

export interface Editor {
  /** Publishes a new article at once under `slug`; resolves when the server has answered. */
  publish(slug: string, title: string, body: string): Promise<void>;
}

const csrfOf = (html: string) => /name="csrf"[^>]*value="([^"]+)"/.exec(html)?.[1];

/** Logs the editor in at `origin`. */
export async function loginEditor(origin: string): Promise<Editor> {
  const cookies = new Map<string, string>();
  const send = async (path: string, form?: Record<string, string>) => {
    const res = await fetch(new URL(path, origin), {
      method: form ? "POST" : "GET",
      headers: {
        Accept: "text/html",
        ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
        ...(cookies.size > 0
          ? { Cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") }
          : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
      redirect: "manual",
      signal: AbortSignal.timeout(60_000),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return { status: res.status, location: res.headers.get("location"), text: await res.text() };
  };
  const loginForm = await send("/admin/login");
  const loginCsrf = csrfOf(loginForm.text);
  if (!loginCsrf) throw new Error(`no CSRF token on the login form (${loginForm.status})`);
  const login = await send("/admin/login", { csrf: loginCsrf, ...EDITOR });
  if (login.status !== 303) throw new Error(`the editor's login answered ${login.status}`);
  const formPage = await send("/admin/articles/new");
  const csrf = csrfOf(formPage.text);
  if (!csrf) throw new Error(`no CSRF token on the article form (${formPage.status})`);
  return {
    async publish(slug, title, body) {
      const res = await send("/admin/articles/new", {
        csrf,
        title,
        summary: "",
        body,
        tags: "Cửa Lò",
        author: "Văn phòng",
        language: "vi",
        published: "",
        slug,
        image: "",
        image_alt: "",
        action: "publish",
      });
      if (res.status !== 303) throw new Error(`publish answered ${res.status}`);
    },
  };
}
