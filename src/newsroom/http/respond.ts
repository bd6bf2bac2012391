/** How the newsroom answers: its headers, its refusals, and POST-redirect-GET with a notice. */
import type { Context, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { requestHeader } from "../../web/request-headers.ts";
import { EDITOR_CSP, FRAMED_PAGE_CSP, NEWSROOM_CSP, PREVIEW_CSP } from "../pages/index.ts";
import { renderMessage } from "../pages/message.ts";
import { isAssetPath } from "./asset-routes.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";

/**
 * What every `/admin` response carries, whatever answered it (a page, a
 * redirect, a 401, an error page): never stored by a browser or a proxy,
 * the newsroom's own policy instead of the public pages' (its forms post
 * here), and never framed. Set here so the envelope, which only fills
 * headers that are absent, leaves them alone.
 */
export function staffHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    // The form's scripts are the same for everyone and revalidated by ETag.
    if (!isAssetPath(c.req.path)) headers.set("Cache-Control", "no-store");
    // A page that needs more (the article form's own scripts, the preview's
    // frame) sets its own policy, a superset of this one made in `style.ts`.
    const policy = headers.get("Content-Security-Policy") ?? "";
    if (!OWN_POLICIES.has(policy)) headers.set("Content-Security-Policy", NEWSROOM_CSP);
    headers.set("X-Frame-Options", policy === FRAMED_PAGE_CSP ? "SAMEORIGIN" : "DENY");
    headers.set("X-Robots-Tag", "noindex, nofollow");
  };
}

const OWN_POLICIES: ReadonlySet<string> = new Set([EDITOR_CSP, PREVIEW_CSP, FRAMED_PAGE_CSP]);

/** A browser, told apart as the contract says: it accepts `text/html`. */
export function isBrowser(c: Context): boolean {
  return /\btext\/html\b/i.test(requestHeader(c, "accept") ?? "");
}

/** The address the request came from (the proxy's, behind one), or "unknown" outside Node. */
export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "unknown";
}

/** A page explaining a refusal; nothing was changed. */
export function refuse(
  c: Context,
  deps: Pick<NewsroomDeps, "content">,
  status: ContentfulStatusCode,
  message: string,
  csrfToken?: string,
): Response {
  const title = TITLES[status] ?? "Không thực hiện được";
  // Set after the guard; a refusal before it (a stale form, a large body) has none.
  const viewer = (c as Context<NewsroomEnv>).get("viewer") as
    | NewsroomEnv["Variables"]["viewer"]
    | undefined;
  return c.html(
    renderMessage({ site: deps.content.current().site, title, message, csrfToken, viewer }),
    status,
  );
}

const TITLES: Partial<Record<number, string>> = {
  400: "Yêu cầu không hợp lệ",
  403: "Yêu cầu bị từ chối",
  404: "Không tìm thấy",
  409: "Không thực hiện được",
  410: "Không còn dùng được",
  413: "Tệp quá lớn",
};

/** What the last action did, named in the redirect so the next page can say so. */
export type Notice =
  | "approved"
  | "rejected"
  | "blocked-actor"
  | "blocked-domain"
  | "unblocked"
  | "uploaded"
  | "alt-saved"
  | "staff-roles"
  | "staff-email"
  | "staff-removed"
  | "unchanged"
  | "picture-deleted";

/** The query parameter naming the notice (a key, never text from the request). */
export const NOTICE_PARAM = "done";

const NOTICES: Readonly<Record<Notice, string>> = {
  approved: "Đã duyệt phản hồi: phản hồi hiện dưới bài viết.",
  rejected: "Đã từ chối phản hồi: phản hồi không hiện trên trang.",
  "blocked-actor":
    "Đã chặn tài khoản: phản hồi của tài khoản đã được gỡ, tài khoản không còn theo dõi thị xã.",
  "blocked-domain": "Đã chặn máy chủ: phản hồi và người theo dõi từ máy chủ này đã được gỡ.",
  unblocked: "Đã bỏ chặn.",
  uploaded: "Đã tải ảnh lên: ảnh mới ở đầu thư viện, kèm mã ảnh để dùng trong bài viết.",
  "alt-saved": "Đã lưu mô tả ảnh.",
  "staff-roles": "Đã đổi vai trò: tài khoản đó đã bị đăng xuất; lần đăng nhập sau có vai trò mới.",
  "staff-email": "Đã lưu e-mail.",
  "staff-removed": "Đã xoá tài khoản: tài khoản đó đã bị đăng xuất ở mọi nơi.",
  unchanged: "Không có gì thay đổi.",
  "picture-deleted": "Đã xoá ảnh: ảnh và mọi cỡ ảnh của nó không còn trên trang.",
};

/** The notice a page shows after a redirect, when its query names one. */
export function noticeOf(c: Context): string | undefined {
  const key = c.req.query(NOTICE_PARAM);
  return key !== undefined && Object.hasOwn(NOTICES, key) ? NOTICES[key as Notice] : undefined;
}

/** POST-redirect-GET: 303 to `path`, naming what was done. */
export function seeOther(c: Context, path: string, done?: Notice): Response {
  const target = done ? `${path}?${new URLSearchParams({ [NOTICE_PARAM]: done })}` : path;
  return c.redirect(target, 303);
}
