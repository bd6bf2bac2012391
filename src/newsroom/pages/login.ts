/** `/admin/login`: the one newsroom page reachable without a session. */
import { html } from "hono/html";
import type { Site } from "../../content/types.ts";
import { renderNewsroomLayout } from "./layout.ts";
import { CSRF_FIELD, NEWSROOM_PATHS } from "./paths.ts";

/** Why the last attempt did not log in. */
export type LoginError = "invalid" | "throttled" | "expired";

/** What {@link renderLogin} needs. */
export interface LoginPageInput {
  site: Site;
  error?: LoginError;
  /** The name typed last time, so only the password has to be typed again. */
  username?: string;
  /** A pre-session token, when the routes protect the login form against login CSRF. */
  csrfToken?: string;
  /** A line confirming what was just done (a password set through a one-time link). */
  notice?: string;
}

const MESSAGES: Readonly<Record<LoginError, string>> = {
  invalid: "Tên đăng nhập hoặc mật khẩu không đúng.",
  throttled: "Đăng nhập sai quá nhiều lần. Xin thử lại sau 15 phút.",
  expired: "Phiên làm việc đã hết hạn. Xin đăng nhập lại.",
};

/** The login form: `username` and `password`, posted to `/admin/login`. */
export function renderLogin({ site, error, username, csrfToken, notice }: LoginPageInput): string {
  const invalid = error === "invalid" ? html` aria-invalid="true"` : "";
  const described = error ? html` aria-describedby="login-error"` : "";
  return renderNewsroomLayout({
    site,
    title: "Đăng nhập",
    notice,
    body: html`${error ? html`<p class="error" id="login-error" role="alert">${MESSAGES[error]}</p>\n` : ""}<form method="post" action="${NEWSROOM_PATHS.login}">
${csrfToken === undefined ? "" : html`<input type="hidden" name="${CSRF_FIELD}" value="${csrfToken}">\n`}<label for="username">Tên đăng nhập</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${username ?? ""}"${invalid}${described}>
<label for="password">Mật khẩu</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${described}>
<p><button type="submit" class="primary">Đăng nhập</button></p>
</form>`,
  });
}
