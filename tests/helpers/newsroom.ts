/**
 * A staff member's browser, reduced to what the newsroom tests need: a
 * cookie jar, the login form, and POSTs carrying the page's CSRF token. Works
 * over real HTTP (`fetch` to a server) and in process (`app.request`).
 */
import { spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { join, resolve } from "node:path";
import { openStorage } from "../../src/storage/open.ts";
import type { Store } from "../../src/storage/store.ts";
import { elementsNamed } from "./html.ts";

/** One request: a path on the server, and fetch's options. */
export type Send = (path: string, init?: RequestInit) => Promise<Response>;

/** What every browser request says it accepts (Chromium's navigation `Accept`). */
export const BROWSER_ACCEPT =
  "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

export interface StaffClient {
  /** Cookies held, by name. */
  cookies: Map<string, string>;
  /** GET as a browser (`Accept: text/html`), sending the cookies; redirects not followed. */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** POST a form as a browser, sending the cookies; redirects not followed. */
  post(
    path: string,
    fields: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<Response>;
  /** GET the login form, then POST it; the response of the POST. */
  login(username: string, password: string): Promise<Response>;
  /** The CSRF token on the newsroom's home page (needs a session). */
  csrfToken(): Promise<string>;
}

/** The article form's fields for a plain article titled `title` (the rest left to defaults). */
export function articleForm(title: string): Record<string, string> {
  return {
    title,
    summary: "",
    body: "Nội dung bài.",
    tags: "",
    author: "",
    language: "vi",
    published: "",
    slug: "",
    image: "",
    image_alt: "",
  };
}

/** The value of the hidden `csrf` field in a page, or undefined. */
export function csrfFieldOf(html: string): string | undefined {
  return elementsNamed(html, "input").find((i) => i.attribs.name === "csrf")?.attribs.value;
}

export function staffClient(send: Send): StaffClient {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/max-age=0\b/i.test(line) || value === "") cookies.delete(name);
      else cookies.set(name, value);
    }
    return res;
  };
  const cookieHeader = (): Record<string, string> =>
    cookies.size === 0
      ? {}
      : { Cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; ") };
  const client: StaffClient = {
    cookies,
    async get(path, headers = {}) {
      return keep(
        await send(path, {
          headers: { Accept: BROWSER_ACCEPT, ...cookieHeader(), ...headers },
          redirect: "manual",
        }),
      );
    },
    async post(path, fields, headers = {}) {
      return keep(
        await send(path, {
          method: "POST",
          headers: {
            Accept: BROWSER_ACCEPT,
            "Content-Type": "application/x-www-form-urlencoded",
            ...cookieHeader(),
            ...headers,
          },
          body: new URLSearchParams(fields).toString(),
          redirect: "manual",
        }),
      );
    },
    async login(username, password) {
      const form = await client.get("/admin/login");
      const csrf = csrfFieldOf(await form.text());
      if (csrf === undefined) throw new Error(`no login token on the login form (${form.status})`);
      return await client.post("/admin/login", { csrf, username, password });
    },
    async csrfToken() {
      // The first page (a redirect is followed once, for a page that sends members on).
      const first = await client.get("/admin/");
      const moved = first.status === 303 ? first.headers.get("location") : null;
      const res = moved ? await client.get(moved) : first;
      const token = csrfFieldOf(await res.text());
      if (token === undefined) throw new Error(`no CSRF token on /admin/ (${res.status})`);
      return token;
    },
  };
  return client;
}

/**
 * Requests to `origin` over real HTTP from the loopback address `from`
 * (any of 127.0.0.0/8): the server sees them as coming from different
 * addresses, as the login throttle must.
 */
export function sendFrom(origin: string, from = "127.0.0.1"): Send {
  return (path, init = {}) =>
    new Promise((resolve, reject) => {
      const url = new URL(path, origin);
      const headers = new Headers(init.headers);
      const body = typeof init.body === "string" ? init.body : undefined;
      const req = httpRequest(
        url,
        { method: init.method ?? "GET", headers: Object.fromEntries(headers), localAddress: from },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const out = new Headers();
            for (let i = 0; i < res.rawHeaders.length; i += 2) {
              out.append(res.rawHeaders[i] ?? "", res.rawHeaders[i + 1] ?? "");
            }
            const status = res.statusCode ?? 500;
            const empty = status === 204 || status === 304 || init.method === "HEAD";
            resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers: out }));
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
}

const ROOT = resolve(import.meta.dirname, "../..");

/**
 * Runs the real `npm run staff -- add <username> --role …` against `dataDir`,
 * the password on stdin. An `admin` unless `roles` says otherwise.
 */
export async function addStaff(
  dataDir: string,
  username: string,
  password: string,
  roles: readonly string[] = ["admin"],
): Promise<void> {
  const { code, output } = await new Promise<{ code: number | null; output: string }>(
    (done, fail) => {
      const child = spawn(
        join(ROOT, "node_modules/.bin/node"),
        ["src/cli/staff.ts", "add", username, ...roles.flatMap((role) => ["--role", role])],
        { cwd: ROOT, env: { PATH: process.env.PATH, DATA_DIR: dataDir } },
      );
      let output = "";
      child.stdout.on("data", (d) => {
        output += String(d);
      });
      child.stderr.on("data", (d) => {
        output += String(d);
      });
      child.on("error", fail);
      child.on("close", (code) => done({ code, output }));
      child.stdin.end(`${password}\n`);
    },
  );
  if (code !== 0) throw new Error(`npm run staff -- add ${username} failed (${code}): ${output}`);
}

/** The store of a server's `DATA_DIR`, opened beside the running server (WAL lets both use the file). */
export async function withServerStore<T>(
  dataDir: string,
  use: (store: Store) => Promise<T>,
): Promise<T> {
  const storage = await openStorage({ dataDir, databaseUrl: undefined });
  try {
    return await use(storage.store);
  } finally {
    await storage.close();
  }
}
