/**
 * `/admin/staff` (admins only): the accounts with their roles and e-mail,
 * and the forms to add one, change it, remove it or force a password reset;
 * the page that shows a one-time link once; and the link's own page, where
 * the member sets a password without a session.
 */
import { html } from "hono/html";
import type { Site } from "../../content/types.ts";
import type { Fragment } from "../../pages/format.ts";
import type { PasswordLinkPurpose } from "../../storage/password-links.ts";
import { STAFF_ROLES, type StaffAccount, type StaffRole } from "../../storage/staff.ts";
import { MIN_PASSWORD_LENGTH } from "../account-input.ts";
import { postForm } from "./forms.ts";
import { timeTag } from "./labels.ts";
import { renderNewsroomLayout, type StaffPageInput } from "./layout.ts";
import { CSRF_FIELD, NEWSROOM_PATHS } from "./paths.ts";

/** Each role as staff read it, with what it may do. */
export const ROLE_LABELS: Readonly<Record<StaffRole, { name: string; hint: string }>> = {
  writer: { name: "Người viết", hint: "viết bản nháp, tải ảnh, gửi bài chờ duyệt" },
  editor: { name: "Biên tập viên", hint: "duyệt, đăng, trả lại và sửa mọi bài viết" },
  moderator: {
    name: "Kiểm duyệt viên",
    hint: "phản hồi, nhắc đến, người theo dõi, danh sách chặn",
  },
  admin: { name: "Quản trị viên", hint: "mọi việc, kể cả nhân sự và nhật ký" },
};

/** What {@link renderStaff} needs. */
export interface StaffListInput extends StaffPageInput {
  accounts: readonly StaffAccount[];
  /** The signed-in admin: their own account cannot be removed here. */
  me: string;
  /** When the one-time link of each account whose member has not set a password yet expires. */
  waiting: ReadonlyMap<string, Date>;
  now: Date;
}

/** Says that the member has not set a password yet, and until when the link works. */
function waitingLine(expiresAt: Date | undefined, input: StaffListInput): Fragment | string {
  if (expiresAt === undefined) return "";
  const when = timeTag(expiresAt, input.site.timezone);
  return expiresAt.getTime() > input.now.getTime()
    ? html`<p class="muted">Chưa đặt mật khẩu: liên kết dùng được đến ${when}.</p>\n`
    : html`<p class="muted">Chưa đặt mật khẩu: liên kết đã hết hạn lúc ${when}. Bấm “Buộc đặt lại mật khẩu” để tạo liên kết mới.</p>\n`;
}

const roleNames = (roles: readonly StaffRole[]) =>
  roles.map((role) => ROLE_LABELS[role].name).join(", ");

/** Role checkboxes named `roles`; `id` keeps each form's labels apart; `hints` says what each may do. */
function roleChoices(id: string, checked: readonly StaffRole[], hints = false): Fragment {
  return html`${STAFF_ROLES.map(
    (role) =>
      html`<label class="check" for="${id}-${role}"><input type="checkbox" id="${id}-${role}" name="roles" value="${role}"${checked.includes(role) ? " checked" : ""}><span>${ROLE_LABELS[role].name}${hints ? html` <span class="muted">(${ROLE_LABELS[role].hint})</span>` : ""}</span></label>\n`,
  )}`;
}

const csrfField = (token: string) =>
  html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;

/** One account: what it is, then its forms. */
function accountEntry(account: StaffAccount, input: StaffListInput): Fragment {
  const { csrfToken, site } = input;
  const name = account.username;
  const self = name === input.me;
  const id = `staff-${name}`;
  return html`<li id="${id}"><p><strong>${name}</strong>${self ? " (bạn)" : ""} · ${roleNames(account.roles)}</p>
<p class="muted">E-mail: ${account.email ?? "chưa có"} · Tạo lúc ${timeTag(account.createdAt, site.timezone)}</p>
${waitingLine(input.waiting.get(name), input)}<form method="post" action="${NEWSROOM_PATHS.staffRoles}">${csrfField(csrfToken)}<input type="hidden" name="username" value="${name}">
<fieldset><legend>Vai trò của ${name}</legend>
${roleChoices(`${id}-roles`, account.roles)}</fieldset>
<button type="submit">Lưu vai trò</button></form>
<form method="post" action="${NEWSROOM_PATHS.staffEmail}">${csrfField(csrfToken)}<input type="hidden" name="username" value="${name}">
<label for="${id}-email">E-mail của ${name} (để trống để xoá)</label>
<input id="${id}-email" name="email" type="email" autocomplete="off" maxlength="254" value="${account.email ?? ""}">
<button type="submit">Lưu e-mail</button></form>
<div class="actions">${postForm({ action: NEWSROOM_PATHS.staffReset, csrfToken, fields: { username: name }, label: "Buộc đặt lại mật khẩu" })}${
    self
      ? ""
      : postForm({
          action: NEWSROOM_PATHS.staffRemove,
          csrfToken,
          fields: { username: name },
          label: "Xoá tài khoản",
          tone: "danger",
        })
  }</div></li>\n`;
}

/** The staff list with the form to add an account. */
export function renderStaff(input: StaffListInput): string {
  const { csrfToken } = input;
  return renderNewsroomLayout({
    site: input.site,
    title: "Nhân sự",
    csrfToken,
    current: "staff",
    notice: input.notice,
    viewer: input.viewer,
    body: html`<p class="muted">Quản trị viên không đặt và không thấy mật khẩu của ai: thêm tài khoản hay buộc đặt lại mật khẩu tạo một liên kết dùng một lần để người đó tự đặt. Đổi vai trò, xoá tài khoản hay đặt lại mật khẩu đăng xuất tài khoản đó ngay.</p>
<h2>Thêm tài khoản</h2>
<form class="add" method="post" action="${NEWSROOM_PATHS.staffAdd}">${csrfField(csrfToken)}
<label for="new-username">Tên đăng nhập (chữ thường không dấu, số, dấu chấm, gạch dưới, gạch ngang)</label>
<input id="new-username" name="username" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" required maxlength="64">
<label for="new-email">E-mail (không bắt buộc; nếu có, liên kết đặt mật khẩu được gửi tới đây)</label>
<input id="new-email" name="email" type="email" autocomplete="off" maxlength="254">
<fieldset><legend>Vai trò</legend>
${roleChoices("new-roles", ["writer"], true)}</fieldset>
<button type="submit" class="primary">Thêm tài khoản</button></form>
<h2>Tài khoản</h2>
<ul class="items">
${input.accounts.map((account) => accountEntry(account, input))}</ul>`,
  });
}

/** What {@link renderLinkIssued} needs. */
export interface LinkIssuedInput extends StaffPageInput {
  username: string;
  purpose: PasswordLinkPurpose;
  /** The absolute one-time link, shown here once. */
  link: string;
  expiresAt: Date;
  /** The address it was also sent to, or null. */
  mailedTo: string | null;
}

/** The one-time link, shown to the admin once, to hand over. */
export function renderLinkIssued(input: LinkIssuedInput): string {
  const { site } = input;
  const done =
    input.purpose === "welcome"
      ? `Đã thêm tài khoản ${input.username}.`
      : `Đã buộc đặt lại mật khẩu của ${input.username}: mật khẩu cũ không còn dùng được và tài khoản đã bị đăng xuất.`;
  return renderNewsroomLayout({
    site,
    title: "Liên kết đặt mật khẩu",
    csrfToken: input.csrfToken,
    current: "staff",
    notice: done,
    viewer: input.viewer,
    body: html`<p>Trao liên kết này cho <strong>${input.username}</strong> để người đó tự đặt mật khẩu. Liên kết chỉ hiện một lần ở đây, dùng được một lần và hết hạn lúc ${timeTag(input.expiresAt, site.timezone)}.</p>
<label for="one-time-link">Liên kết dùng một lần</label>
<textarea id="one-time-link" readonly rows="2" spellcheck="false">${input.link}</textarea>
<p>${input.mailedTo ? html`Liên kết cũng đã được gửi tới ${input.mailedTo}.` : "Liên kết không được gửi qua e-mail: xin tự trao tận tay hoặc qua kênh tin cậy."}</p>
<p><a href="${NEWSROOM_PATHS.staff}">← Về danh sách nhân sự</a></p>`,
  });
}

/** Why the password form was sent back. */
export type PasswordFormError = "short" | "long" | "mismatch";

const PASSWORD_ERRORS: Readonly<Record<PasswordFormError, string>> = {
  short: `Mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`,
  long: "Mật khẩu quá dài.",
  mismatch: "Hai lần nhập mật khẩu không giống nhau.",
};

/** What {@link renderPasswordForm} needs. */
export interface PasswordFormInput {
  site: Site;
  username: string;
  /** The link's own path: the form posts back to it. */
  action: string;
  expiresAt: Date;
  error?: PasswordFormError;
}

/** The one-time link's page: a new password, typed twice. */
export function renderPasswordForm(input: PasswordFormInput): string {
  const { site, error } = input;
  const invalid = error ? html` aria-invalid="true" aria-describedby="password-error"` : "";
  return renderNewsroomLayout({
    site,
    title: "Đặt mật khẩu",
    body: html`<p>Tài khoản: <strong>${input.username}</strong>. Liên kết này dùng được một lần và hết hạn lúc ${timeTag(input.expiresAt, site.timezone)}.</p>
${error ? html`<p class="error" id="password-error" role="alert">${PASSWORD_ERRORS[error]}</p>\n` : ""}<form method="post" action="${input.action}">
<input type="hidden" name="username" value="${input.username}" autocomplete="username">
<label for="password">Mật khẩu mới (ít nhất ${MIN_PASSWORD_LENGTH} ký tự)</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}"${invalid}>
<label for="confirm">Nhập lại mật khẩu mới</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}"${invalid}>
<p><button type="submit" class="primary">Đặt mật khẩu</button></p>
</form>`,
  });
}

/** Why a one-time link cannot set a password. */
export type LinkRefusal = "unknown" | "used" | "expired" | "foreign";

const REFUSALS: Readonly<Record<LinkRefusal, string>> = {
  unknown:
    "Liên kết này không dùng được: có thể đã có liên kết mới hơn thay cho nó, hoặc liên kết bị chép thiếu. Không có gì thay đổi. Xin nhờ quản trị viên tạo liên kết mới.",
  used: "Liên kết này đã được dùng để đặt mật khẩu; mỗi liên kết chỉ dùng được một lần. Không có gì thay đổi. Nếu cần đặt lại mật khẩu, xin nhờ quản trị viên tạo liên kết mới.",
  expired: "Liên kết này đã hết hạn. Không có gì thay đổi. Xin nhờ quản trị viên tạo liên kết mới.",
  foreign:
    "Biểu mẫu không được gửi từ trang của tòa soạn, nên không có gì thay đổi. Xin mở lại liên kết rồi thử lại.",
};

/** A one-time link that cannot be used, and what to do. */
export function renderLinkRefused(input: { site: Site; reason: LinkRefusal }): string {
  return renderNewsroomLayout({
    site: input.site,
    title: "Liên kết không dùng được",
    body: html`<p class="error" role="alert">${REFUSALS[input.reason]}</p>
<p><a href="${NEWSROOM_PATHS.login}">Đến trang đăng nhập</a></p>`,
  });
}
