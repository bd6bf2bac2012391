/**
 * Making a one-time password link: a fresh 256-bit token, stored only as its
 * SHA-256, the absolute URL to hand over, and the message that e-mails it
 * when the account has an address and mail is on.
 */
import { getLogger } from "@logtape/logtape";
import type { MailMessage } from "../../mail/types.ts";
import { formatDateVi } from "../../pages/format.ts";
import type { NewPasswordLink, PasswordLinkPurpose } from "../../storage/password-links.ts";
import { passwordLinkPath } from "../pages/index.ts";
import type { NewsroomDeps } from "./deps.ts";
import { newToken, sessionIdOf } from "./tokens.ts";

const logger = getLogger(["loa", "web", "newsroom", "staff"]);

const HOUR_MS = 3_600_000;

/** How long a link stays usable: days for a new member to find it, a day for a reset. */
export const LINK_LIFETIME_MS: Readonly<Record<PasswordLinkPurpose, number>> = {
  welcome: 72 * HOUR_MS,
  reset: 24 * HOUR_MS,
};

export interface IssuedLink {
  /** What the store keeps (the token's hash, never the token). */
  link: NewPasswordLink;
  /** The absolute URL carrying the token, shown once and mailed. */
  url: string;
}

/** A new link for `username`, made now. */
export function issueLink(
  deps: Pick<NewsroomDeps, "clock" | "config">,
  username: string,
  purpose: PasswordLinkPurpose,
): IssuedLink {
  const token = newToken();
  const now = deps.clock();
  return {
    link: {
      id: sessionIdOf(token),
      username,
      purpose,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LINK_LIFETIME_MS[purpose]),
    },
    url: new URL(passwordLinkPath(token), deps.config.origin).href,
  };
}

/**
 * E-mails the link to `to` when mail is on. Returns the address it was
 * handed to, or null. The change it follows is already made: a mail
 * failure is logged, never raised.
 */
export async function mailLink(
  deps: Pick<NewsroomDeps, "mail" | "content">,
  issued: IssuedLink,
  to: string | null,
): Promise<string | null> {
  if (to === null || deps.mail === undefined) return null;
  const site = deps.content.current().site;
  const { username, purpose, expiresAt } = issued.link;
  const message: MailMessage = {
    to,
    subject:
      purpose === "welcome"
        ? `Tài khoản tòa soạn ${site.title}: đặt mật khẩu`
        : `Tài khoản tòa soạn ${site.title}: đặt lại mật khẩu`,
    text: [
      `Chào ${username},`,
      "",
      purpose === "welcome"
        ? `Quản trị viên đã tạo cho bạn tài khoản "${username}" trong tòa soạn của ${site.title}.`
        : `Quản trị viên đã yêu cầu đặt lại mật khẩu tài khoản "${username}" trong tòa soạn của ${site.title}. Mật khẩu cũ không còn dùng được.`,
      `Để đặt mật khẩu, xin mở liên kết sau. Liên kết dùng được một lần và hết hạn lúc ${formatDateVi(expiresAt, site.timezone)}:`,
      "",
      issued.url,
      "",
      "Nếu bạn không chờ thư này, xin bỏ qua và báo cho quản trị viên.",
    ].join("\n"),
  };
  try {
    await deps.mail.enqueue(message);
    return to;
  } catch (error) {
    logger.error("Could not queue the one-time link for {username}: {error}", {
      username,
      error,
    });
    return null;
  }
}
