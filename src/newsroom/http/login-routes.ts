/**
 * Logging in and out. The login form carries a pre-session token that must
 * match a cookie set with the form (so another site cannot log a browser in
 * to an account of its choosing), and attempts are throttled per account and
 * per address (`throttle.ts`).
 */
import { getLogger } from "@logtape/logtape";
import type { Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { NewStaffSession } from "../../storage/staff.ts";
import { usernameOf } from "../account-input.ts";
import { CSRF_FIELD, type LoginError, NEWSROOM_PATHS, renderLogin } from "../pages/index.ts";
import { hashPassword, verifyPassword } from "../password.ts";
import { type CookieJar, SESSION_LIFETIME_MS } from "./cookies.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { EXPIRED_PARAM, formOf, fromOwnOrigin, sessionOf } from "./guard.ts";
import { clientAddress } from "./respond.ts";
import { createLoginThrottle } from "./throttle.ts";
import { isToken, newToken, sameToken, sessionIdOf } from "./tokens.ts";

const logger = getLogger(["loa", "web", "newsroom"]);

/** Longer is not a password anyone types, and scrypt need not read it. */
const MAX_PASSWORD_LENGTH = 1024;

/** Registers `GET`/`POST /admin/login` (open) on `app`; the logout is {@link logoutRoute}. */
export function loginRoutes(app: Hono<NewsroomEnv>, deps: NewsroomDeps, jar: CookieJar): void {
  const throttle = createLoginThrottle(deps);
  // An unknown name costs the same scrypt as a known one, so timing does not tell them apart.
  let decoy: Promise<string> | null = null;
  const decoyHash = () => {
    decoy ??= hashPassword(newToken());
    return decoy;
  };

  /** The form with a login token: the one the browser holds, or a new one it is given. */
  const form = (
    c: Context,
    status: 200 | 401 | 403 | 429,
    options: { error?: LoginError; username?: string; token?: string } = {},
  ) => {
    let token = options.token;
    if (token === undefined) {
      token = newToken();
      c.header("Set-Cookie", jar.login(token), { append: true });
    }
    const site = deps.content.current().site;
    const page = renderLogin({
      site,
      error: options.error,
      username: options.username,
      csrfToken: token,
    });
    return c.html(page, status);
  };

  app.get(NEWSROOM_PATHS.login, async (c) => {
    if ((await sessionOf(c, deps, jar)) !== null) return c.redirect(NEWSROOM_PATHS.queue, 303);
    return form(c, 200, {
      error: c.req.query(EXPIRED_PARAM) === undefined ? undefined : "expired",
    });
  });

  app.post(NEWSROOM_PATHS.login, async (c) => {
    const fields = await formOf(c);
    const held = getCookie(c, jar.loginName);
    if (
      !fromOwnOrigin(c, deps.config.origin) ||
      !isToken(held) ||
      !sameToken(fields[CSRF_FIELD], held)
    ) {
      return form(c, 403, { error: "expired" });
    }
    const typed = (fields.username ?? "").trim().toLowerCase();
    const username = usernameOf(typed);
    const password = fields.password ?? "";
    const address = clientAddress(c);
    const shown = { username: typed.slice(0, 64), token: held };

    const verdict = await throttle.check(username, address);
    if (!verdict.allowed) {
      logger.warning(
        "Refused a staff login for {username} from {address}: the {locked} is throttled",
        {
          // A name that is not an account may be a password typed in the wrong field: not logged.
          username: verdict.locked === "account" ? username : null,
          address,
          locked: verdict.locked,
        },
      );
      c.header("Retry-After", String(verdict.retryAfterSeconds));
      return form(c, 429, { ...shown, error: "throttled" });
    }

    const account = username === null ? null : await deps.store.getStaff(username);
    const checkable = password.length > 0 && password.length <= MAX_PASSWORD_LENGTH;
    const hash = account?.passwordHash ?? (await decoyHash());
    const valid = checkable && (await verifyPassword(password, hash)) && account !== null;
    if (!valid || username === null) {
      await throttle.failed(username, address);
      logger.info("Failed staff login for {username} from {address}", {
        username: account === null ? null : username,
        address,
      });
      c.header("WWW-Authenticate", 'Cookie realm="newsroom", form="/admin/login"');
      return form(c, 401, { ...shown, error: "invalid" });
    }

    await throttle.succeeded(username);
    const token = newToken();
    const now = deps.clock();
    const session: NewStaffSession = {
      id: sessionIdOf(token),
      username,
      csrfToken: newToken(),
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
    };
    await deps.store.createSession(session);
    logger.info("Staff {username} logged in from {address}", { username, address });
    c.header("Set-Cookie", jar.session(token), { append: true });
    c.header("Set-Cookie", jar.clearLogin(), { append: true });
    return c.redirect(NEWSROOM_PATHS.queue, 303);
  });
}

/** Registers `POST /admin/logout` (behind the guard): the session ends in the store, not only in the browser. */
export function logoutRoute(app: Hono<NewsroomEnv>, deps: NewsroomDeps, jar: CookieJar): void {
  app.post(NEWSROOM_PATHS.logout, async (c) => {
    const session = c.get("session");
    await deps.store.deleteSession(session.id);
    logger.info("Staff {username} logged out", { username: session.username });
    c.header("Set-Cookie", jar.clearSession(), { append: true });
    return c.redirect(NEWSROOM_PATHS.login, 303);
  });
}
