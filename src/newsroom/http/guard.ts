/**
 * The newsroom's door: every path but the login form needs a staff session,
 * and every POST the session's CSRF token, sent from our own origin.
 * Without a session a browser is sent to the login form and anything else
 * gets 401, for every path alike (signed out, nobody learns which exist).
 */
import { getLogger } from "@logtape/logtape";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { StaffSession } from "../../storage/staff.ts";
import { requestHeader } from "../../web/request-headers.ts";
import { CSRF_FIELD, NEWSROOM_PATHS } from "../pages/index.ts";
import type { CookieJar } from "./cookies.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { clientAddress, isBrowser, refuse } from "./respond.ts";
import { isToken, sameToken, sessionIdOf } from "./tokens.ts";

const logger = getLogger(["loa", "web", "newsroom"]);

/** The query the login form reads to say a session ended. */
export const EXPIRED_PARAM = "expired";

/** The session the request's cookie names, or null (none, malformed, unknown or expired). */
export async function sessionOf(
  c: Context,
  deps: Pick<NewsroomDeps, "store" | "clock">,
  jar: CookieJar,
): Promise<StaffSession | null> {
  const token = getCookie(c, jar.sessionName);
  if (!isToken(token)) return null;
  return await deps.store.getSession(sessionIdOf(token), deps.clock());
}

/**
 * Whether a POST comes from our own pages, as far as the browser says:
 * `Sec-Fetch-Site` when sent, and `Origin` when it names one. The staff
 * pages send no referrer, and for a form POST under `no-referrer` browsers
 * send `Origin: null`: that tells nothing, and the CSRF token decides.
 */
export function fromOwnOrigin(c: Context, origin: URL): boolean {
  const site = requestHeader(c, "sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none") return false;
  const given = requestHeader(c, "origin");
  return given === undefined || given === "null" || given === origin.origin;
}

/** The POSTed form as strings; a body that is not a form is an empty one. */
export async function formOf(c: Context): Promise<Record<string, string>> {
  const type = requestHeader(c, "content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return {};
  try {
    const body = await c.req.parseBody();
    const form: Record<string, string> = {};
    for (const [name, value] of Object.entries(body)) {
      if (typeof value === "string") form[name] = value;
    }
    return form;
  } catch {
    return {};
  }
}

/** Refuses what a signed-out client may not see: 303 to the login form for a browser, else 401. */
export function signedOut(c: Context, jar: CookieJar, hadCookie: boolean): Response {
  if (isBrowser(c)) {
    // A cookie the store no longer knows is forgotten, and the form says why.
    if (hadCookie) c.header("Set-Cookie", jar.clearSession(), { append: true });
    const target = hadCookie ? `${NEWSROOM_PATHS.login}?${EXPIRED_PARAM}=1` : NEWSROOM_PATHS.login;
    return c.redirect(target, 303);
  }
  c.header("WWW-Authenticate", 'Cookie realm="newsroom", form="/admin/login"');
  return c.json({ error: "A staff session is required", login: NEWSROOM_PATHS.login }, 401);
}

/** The guard in front of every newsroom route but the login form. */
export function staffGuard(deps: NewsroomDeps, jar: CookieJar): MiddlewareHandler<NewsroomEnv> {
  return async (c, next) => {
    const session = await sessionOf(c, deps, jar);
    if (session === null) return signedOut(c, jar, getCookie(c, jar.sessionName) !== undefined);
    c.set("session", session);
    // The navigation's roles, for a refusal drawn here; `viewer.ts` adds the counts.
    c.set("viewer", { roles: session.roles });
    c.set("newsroom", deps);
    c.set("form", {});
    if (c.req.method === "POST") {
      const form = await formOf(c);
      if (
        !fromOwnOrigin(c, deps.config.origin) ||
        !sameToken(form[CSRF_FIELD], session.csrfToken)
      ) {
        logger.warning(
          "Refused a newsroom POST to {path} by {username} from {address}: no valid CSRF token or foreign origin",
          {
            path: c.req.path,
            username: session.username,
            address: clientAddress(c),
          },
        );
        return refuse(
          c,
          deps,
          403,
          "Biểu mẫu đã cũ hoặc không được gửi từ trang của tòa soạn, nên không có gì thay đổi. Xin tải lại trang rồi thử lại.",
          session.csrfToken,
        );
      }
      c.set("form", form);
    }
    await next();
  };
}
