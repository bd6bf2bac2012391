/**
 * The newsroom's cookies. Both are `HttpOnly` (no script may read them, and
 * the staff pages run none), `SameSite=Lax` (another site cannot make the
 * browser send them with a POST) and scoped to `/admin`; over https they are
 * `Secure` and carry the `__Secure-` prefix, so a plain-http response cannot
 * plant one. Not `__Host-`: that prefix demands `Path=/`, and the session has
 * no business on the public pages.
 */
import { generateCookie } from "hono/cookie";

/** How long a staff session lasts: a working day, then log in again. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** The names and flags for one origin (https or not). */
export interface CookieJar {
  /** The session cookie's name: `loa_session`, `__Secure-loa_session` over https. */
  sessionName: string;
  /** The login form's pre-session CSRF cookie's name. */
  loginName: string;
  /** `Set-Cookie` for a new session token. */
  session(token: string): string;
  /** `Set-Cookie` that makes the browser forget the session cookie. */
  clearSession(): string;
  /** `Set-Cookie` for the login form's token (a browser-session cookie, for `/admin/login` only). */
  login(token: string): string;
  /** `Set-Cookie` that makes the browser forget the login form's token. */
  clearLogin(): string;
}

const SESSION_PATH = "/admin";
const LOGIN_PATH = "/admin/login";

/** The cookies as served from `origin` (Secure exactly when it is https). */
export function cookieJar(origin: URL): CookieJar {
  const secure = origin.protocol === "https:";
  const prefix = secure ? "__Secure-" : "";
  const sessionName = `${prefix}loa_session`;
  const loginName = `${prefix}loa_login`;
  const base = { httpOnly: true, sameSite: "Lax", secure } as const;
  return {
    sessionName,
    loginName,
    session: (token) =>
      generateCookie(sessionName, token, {
        ...base,
        path: SESSION_PATH,
        maxAge: SESSION_LIFETIME_MS / 1000,
      }),
    clearSession: () => generateCookie(sessionName, "", { ...base, path: SESSION_PATH, maxAge: 0 }),
    login: (token) => generateCookie(loginName, token, { ...base, path: LOGIN_PATH }),
    clearLogin: () => generateCookie(loginName, "", { ...base, path: LOGIN_PATH, maxAge: 0 }),
  };
}
