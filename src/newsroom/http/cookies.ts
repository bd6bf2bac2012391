/**
 * The newsroom's cookies. All are `HttpOnly` (no script may read them, and
 * the staff pages run none) and `SameSite=Lax` (another site cannot make the
 * browser send them with a POST); over https they are `Secure` and carry the
 * `__Host-` prefix, which also demands `Path=/` and no `Domain`: neither a
 * plain-http response nor a sibling subdomain can plant or toss one.
 *
 * Besides the session and the login form's token there is one device cookie
 * per account a browser has logged in to (`loa_device_<username>`): a random
 * token the store knows by its hash, so only a browser that really logged in
 * holds one. It lets that browser keep its own allowance of failed logins
 * when strangers have locked the account (OWASP's "device cookies").
 */
import { generateCookie } from "hono/cookie";

/** How long a staff session lasts: a working day, then log in again. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** How long a browser is remembered as one that logged in to an account. */
export const DEVICE_LIFETIME_MS = 180 * 24 * 60 * 60 * 1000;

/** The names and flags for one origin (https or not). */
export interface CookieJar {
  /** The session cookie's name: `loa_session`, `__Host-loa_session` over https. */
  sessionName: string;
  /** The login form's pre-session CSRF cookie's name. */
  loginName: string;
  /** The device cookie's name for `username`. */
  deviceName(username: string): string;
  /** `Set-Cookie` for a new session token. */
  session(token: string): string;
  /** `Set-Cookie` that makes the browser forget the session cookie. */
  clearSession(): string;
  /** `Set-Cookie` for the login form's token (a browser-session cookie). */
  login(token: string): string;
  /** `Set-Cookie` that makes the browser forget the login form's token. */
  clearLogin(): string;
  /** `Set-Cookie` for a device token of `username`. */
  device(username: string, token: string): string;
}

/** The cookies as served from `origin` (Secure exactly when it is https). */
export function cookieJar(origin: URL): CookieJar {
  const secure = origin.protocol === "https:";
  const prefix = secure ? "__Host-" : "";
  const sessionName = `${prefix}loa_session`;
  const loginName = `${prefix}loa_login`;
  const deviceName = (username: string) => `${prefix}loa_device_${username}`;
  const base = { httpOnly: true, sameSite: "Lax", secure, path: "/" } as const;
  return {
    sessionName,
    loginName,
    deviceName,
    session: (token) =>
      generateCookie(sessionName, token, { ...base, maxAge: SESSION_LIFETIME_MS / 1000 }),
    clearSession: () => generateCookie(sessionName, "", { ...base, maxAge: 0 }),
    login: (token) => generateCookie(loginName, token, base),
    clearLogin: () => generateCookie(loginName, "", { ...base, maxAge: 0 }),
    device: (username, token) =>
      generateCookie(deviceName(username), token, { ...base, maxAge: DEVICE_LIFETIME_MS / 1000 }),
  };
}
