/**
 * Logging in and out. The login form carries a pre-session token that must
 * match a cookie set with the form (so another site cannot log a browser in
 * to an account of its choosing), and attempts are throttled per device, or
 * per account and per address (`throttle.ts`). Every login, failed login and
 * logout is in the audit trail.
 */
import { getLogger } from "@logtape/logtape";
import type { Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { NewStaffSession } from "../../storage/staff.ts";
import { usernameOf } from "../account-input.ts";
import { CSRF_FIELD, type LoginError, NEWSROOM_PATHS, renderLogin } from "../pages/index.ts";
import { hashPassword, verifyPassword } from "../password.ts";
import { type CookieJar, DEVICE_LIFETIME_MS, SESSION_LIFETIME_MS } from "./cookies.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { EXPIRED_PARAM, formOf, fromOwnOrigin, sessionOf } from "./guard.ts";
import { PASSWORD_SET_PARAM } from "./password-link-routes.ts";
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
    options: { error?: LoginError; username?: string; token?: string; notice?: string } = {},
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
      notice: options.notice,
    });
    return c.html(page, status);
  };

  app.get(NEWSROOM_PATHS.login, async (c) => {
    if ((await sessionOf(c, deps, jar)) !== null) return c.redirect(NEWSROOM_PATHS.home, 303);
    return form(c, 200, {
      error: c.req.query(EXPIRED_PARAM) === undefined ? undefined : "expired",
      notice:
        c.req.query(PASSWORD_SET_PARAM) === undefined
          ? undefined
          : "Đã đặt mật khẩu. Xin đăng nhập bằng mật khẩu mới.",
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

    const device = username === null ? null : await knownDevice(c, deps, jar, username);
    const verdict = await throttle.begin({ username, address, device });
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
      await verdict.failed();
      // The name tried is the subject (cut to 64 characters), whether or not it is an account.
      await deps.store.appendAudit({
        at: deps.clock(),
        actor: account === null ? null : username,
        action: "login.failed",
        subject: shown.username === "" ? null : shown.username,
        outcome: "failed",
        address,
        detail: { account: account !== null, device: verdict.byDevice },
      });
      logger.info("Failed staff login for {username} from {address}", {
        username: account === null ? null : username,
        address,
      });
      c.header("WWW-Authenticate", 'Cookie realm="newsroom", form="/admin/login"');
      return form(c, 401, { ...shown, error: "invalid" });
    }

    await verdict.succeeded();
    const token = newToken();
    const now = deps.clock();
    const session: NewStaffSession = {
      id: sessionIdOf(token),
      username,
      csrfToken: newToken(),
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
    };
    await deps.store.createSession(session, {
      at: now,
      actor: username,
      action: "login",
      subject: username,
      outcome: "ok",
      address,
      detail: { device: verdict.byDevice },
    });
    logger.info("Staff {username} logged in from {address}", { username, address });
    c.header("Set-Cookie", jar.session(token), { append: true });
    if (!verdict.byDevice) {
      // From now on this browser keeps its own allowance for this account.
      const deviceToken = newToken();
      await deps.store.addStaffDevice({
        id: sessionIdOf(deviceToken),
        username,
        createdAt: now,
        expiresAt: new Date(now.getTime() + DEVICE_LIFETIME_MS),
      });
      c.header("Set-Cookie", jar.device(username, deviceToken), { append: true });
    }
    c.header("Set-Cookie", jar.clearLogin(), { append: true });
    return c.redirect(NEWSROOM_PATHS.home, 303);
  });
}

/** Registers `POST /admin/logout` (behind the guard): the session ends in the store, not only in the browser. */
export function logoutRoute(app: Hono<NewsroomEnv>, deps: NewsroomDeps, jar: CookieJar): void {
  app.post(NEWSROOM_PATHS.logout, async (c) => {
    const session = c.get("session");
    await deps.store.deleteSession(session.id, {
      at: deps.clock(),
      actor: session.username,
      action: "logout",
      subject: session.username,
      outcome: "ok",
      address: clientAddress(c),
      detail: null,
    });
    logger.info("Staff {username} logged out", { username: session.username });
    c.header("Set-Cookie", jar.clearSession(), { append: true });
    return c.redirect(NEWSROOM_PATHS.login, 303);
  });
}

/** The id of this browser's device cookie for `username`, when the store knows it as that account's. */
async function knownDevice(
  c: Context,
  deps: Pick<NewsroomDeps, "store" | "clock">,
  jar: CookieJar,
  username: string,
): Promise<string | null> {
  const token = getCookie(c, jar.deviceName(username));
  if (!isToken(token)) return null;
  const device = await deps.store.getStaffDevice(sessionIdOf(token), deps.clock());
  return device?.username === username ? device.id : null;
}
