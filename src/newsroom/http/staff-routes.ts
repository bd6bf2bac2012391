/**
 * `/admin/staff`, admins only: the accounts, and adding, changing, removing
 * and resetting them. The admin never sees or chooses a password: adding an
 * account or forcing a reset answers a one-time link (`one-time-link.ts`).
 * Every change is written with its audit record in one transaction; a
 * change that weakens an account's access ends its sessions in the same step.
 */
import { getLogger } from "@logtape/logtape";
import type { Context, Hono } from "hono";
import type { AuditDetailValue } from "../../storage/audit.ts";
import { isStaffRole, normalizeRoles, STAFF_ROLES, type StaffRole } from "../../storage/staff.ts";
import { emailOf, usernameOf } from "../account-input.ts";
import { CSRF_FIELD, NEWSROOM_PATHS, renderLinkIssued, renderStaff } from "../pages/index.ts";
import { hashPassword } from "../password.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { issueLink, mailLink } from "./one-time-link.ts";
import { clientAddress, type Notice, noticeOf, refuse, seeOther } from "./respond.ts";
import { requireRole } from "./roles.ts";
import { newToken } from "./tokens.ts";

const logger = getLogger(["loa", "web", "newsroom", "staff"]);

type Form = Readonly<Record<string, string>>;
type Refusal = { status: 400 | 404 | 409; reason: string; message: string };
type Checked<T> = { ok: true; value: T } | ({ ok: false } & Refusal);

const fail = (status: Refusal["status"], reason: string, message: string) =>
  ({ ok: false, status, reason, message }) as const;

/** The fields each action takes: anything else is a forged form, refused whole. */
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  [NEWSROOM_PATHS.staffAdd]: [CSRF_FIELD, "username", "roles", "email"],
  [NEWSROOM_PATHS.staffRoles]: [CSRF_FIELD, "username", "roles"],
  [NEWSROOM_PATHS.staffEmail]: [CSRF_FIELD, "username", "email"],
  [NEWSROOM_PATHS.staffRemove]: [CSRF_FIELD, "username"],
  [NEWSROOM_PATHS.staffReset]: [CSRF_FIELD, "username"],
};

const BAD_USERNAME =
  "Tên đăng nhập không hợp lệ: 1 đến 64 ký tự gồm chữ thường không dấu, số, dấu chấm, gạch dưới, gạch ngang. Không có gì thay đổi.";
const NO_ACCOUNT = "Không có tài khoản này. Không có gì thay đổi.";
const LAST_ADMIN = "Đây là quản trị viên cuối cùng. Không có gì thay đổi.";

/** Registers the staff page and its actions (admins only). */
export function staffRoutes(app: Hono<NewsroomEnv>, deps: NewsroomDeps): void {
  const { store } = deps;
  app.use(NEWSROOM_PATHS.staff, requireRole("admin"));
  app.use(`${NEWSROOM_PATHS.staff}/*`, requireRole("admin"));

  const site = () => deps.content.current().site;
  /** The record of an action by the signed-in admin on `subject`. */
  const record = (
    c: Context<NewsroomEnv>,
    action: string,
    subject: string | null,
    detail: Record<string, AuditDetailValue> | null,
    outcome: "ok" | "failed" = "ok",
  ) => ({
    at: deps.clock(),
    actor: c.get("session").username,
    action,
    subject,
    outcome,
    address: clientAddress(c),
    detail,
  });
  /** Refuses the action, nothing changed, and keeps the attempt on record. */
  const refused = async (c: Context<NewsroomEnv>, action: string, refusal: Refusal) => {
    const typed = (c.get("form").username ?? "").trim().slice(0, 64);
    await store.appendAudit(
      record(c, action, typed === "" ? null : typed, { reason: refusal.reason }, "failed"),
    );
    return refuse(c, deps, refusal.status, refusal.message, c.get("session").csrfToken);
  };
  /** Checks the form's fields and its account, then runs `act` or refuses. */
  const action = (
    path: string,
    name: string,
    act: (c: Context<NewsroomEnv>, username: string, form: Form) => Promise<Response | Refusal>,
  ) =>
    app.post(path, async (c) => {
      const form = c.get("form");
      const allowed = FIELDS[path] ?? [];
      const body = await c.req.parseBody({ all: true });
      if (Object.keys(body).some((field) => !allowed.includes(field))) {
        return refused(c, name, {
          status: 400,
          reason: "fields",
          message: "Biểu mẫu có trường không được nhận. Không có gì thay đổi.",
        });
      }
      const username = usernameOf(form.username);
      if (username === null) {
        return refused(c, name, { status: 400, reason: "username", message: BAD_USERNAME });
      }
      const out = await act(c, username, form);
      return out instanceof Response ? out : refused(c, name, out);
    });
  const rolesOf = async (c: Context<NewsroomEnv>): Promise<Checked<StaffRole[]>> => {
    const raw = (await c.req.parseBody({ all: true })).roles;
    const given = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) =>
      typeof v === "string" ? v : "",
    );
    if (given.length > STAFF_ROLES.length || !given.every(isStaffRole)) {
      return fail(400, "roles", "Có vai trò không hợp lệ. Không có gì thay đổi.");
    }
    const roles = normalizeRoles(given);
    return roles.length === 0
      ? fail(400, "roles", "Chọn ít nhất một vai trò. Không có gì thay đổi.")
      : { ok: true, value: roles };
  };
  const emailFrom = (typed: string | undefined): Checked<string | null> => {
    if ((typed ?? "").trim() === "") return { ok: true, value: null };
    const email = emailOf(typed);
    return email === null
      ? fail(400, "email", "Địa chỉ e-mail không hợp lệ. Không có gì thay đổi.")
      : { ok: true, value: email };
  };
  /** The page with the one-time link, shown to the admin once. */
  const linkPage = async (
    c: Context<NewsroomEnv>,
    issued: ReturnType<typeof issueLink>,
    email: string | null,
  ) =>
    c.html(
      renderLinkIssued({
        site: site(),
        csrfToken: c.get("session").csrfToken,
        viewer: c.get("viewer"),
        username: issued.link.username,
        purpose: issued.link.purpose,
        link: issued.url,
        expiresAt: issued.link.expiresAt,
        mailedTo: await mailLink(deps, issued, email),
      }),
    );
  /**
   * Whether taking `username`'s admin role away would leave nobody to manage
   * staff: the early, friendly answer. The store checks again in the
   * transaction that makes the change, which is the check that holds when two
   * admins act at once.
   */
  const lastAdmin = async (username: string) => {
    const admins = (await store.listStaff()).filter((a) => a.roles.includes("admin"));
    return admins.length <= 1 && admins.some((a) => a.username === username);
  };
  const done = (c: Context<NewsroomEnv>, notice: Notice) =>
    seeOther(c, NEWSROOM_PATHS.staff, notice);

  app.get(NEWSROOM_PATHS.staff, async (c) =>
    c.html(
      renderStaff({
        site: site(),
        csrfToken: c.get("session").csrfToken,
        viewer: c.get("viewer"),
        notice: noticeOf(c),
        accounts: await store.listStaff(),
        me: c.get("session").username,
        waiting: new Map(
          (await store.unusedPasswordLinks()).map((link) => [link.username, link.expiresAt]),
        ),
        now: deps.clock(),
      }),
    ),
  );
  app.all(NEWSROOM_PATHS.staff, (c) => {
    c.header("Allow", "GET, HEAD");
    return refuse(
      c,
      deps,
      405,
      "Trang này không nhận yêu cầu kiểu này.",
      c.get("session").csrfToken,
    );
  });

  action(NEWSROOM_PATHS.staffAdd, "staff.add", async (c, username, form) => {
    const roles = await rolesOf(c);
    if (!roles.ok) return roles;
    const email = emailFrom(form.email);
    if (!email.ok) return email;
    const issued = issueLink(deps, username, "welcome");
    const account = {
      username,
      // A password nobody knows until the member sets one through the link.
      passwordHash: await hashPassword(newToken()),
      createdAt: issued.link.createdAt,
      roles: roles.value,
      email: email.value,
    };
    const detail = { roles: roles.value, email: email.value !== null };
    const added = await store.addStaffWithLink(
      account,
      issued.link,
      record(c, "staff.add", username, detail),
    );
    if (!added) return fail(409, "exists", `Đã có tài khoản ${username}. Không có gì thay đổi.`);
    logger.info("Admin {admin} added the staff account {username} ({roles})", {
      admin: c.get("session").username,
      username,
      roles: roles.value,
    });
    return await linkPage(c, issued, email.value);
  });

  action(NEWSROOM_PATHS.staffRoles, "staff.roles", async (c, username) => {
    const roles = await rolesOf(c);
    if (!roles.ok) return roles;
    const account = await store.getStaff(username);
    if (account === null) return fail(404, "unknown", NO_ACCOUNT);
    const dropsAdmin = account.roles.includes("admin") && !roles.value.includes("admin");
    if (dropsAdmin && username === c.get("session").username) {
      return fail(
        409,
        "self",
        "Bạn không thể tự bỏ vai trò quản trị viên của mình. Không có gì thay đổi.",
      );
    }
    if (dropsAdmin && (await lastAdmin(username))) return fail(409, "last-admin", LAST_ADMIN);
    if (roles.value.join(",") === account.roles.join(",")) return done(c, "unchanged");
    const changed = await store.setStaffRoles(
      username,
      roles.value,
      record(c, "staff.roles", username, { roles: roles.value, before: account.roles }),
    );
    if (changed === "no-account") return fail(404, "unknown", NO_ACCOUNT);
    if (changed === "last-admin") return fail(409, "last-admin", LAST_ADMIN);
    logger.info("Admin {admin} gave {username} the roles {roles}", {
      admin: c.get("session").username,
      username,
      roles: roles.value,
    });
    return done(c, "staff-roles");
  });

  action(NEWSROOM_PATHS.staffEmail, "staff.email", async (c, username, form) => {
    const email = emailFrom(form.email);
    if (!email.ok) return email;
    const changed = await store.setStaffEmail(
      username,
      email.value,
      record(c, "staff.email", username, { set: email.value !== null }),
    );
    return changed ? done(c, "staff-email") : fail(404, "unknown", NO_ACCOUNT);
  });

  action(NEWSROOM_PATHS.staffRemove, "staff.remove", async (c, username) => {
    if (username === c.get("session").username) {
      return fail(409, "self", "Bạn không thể tự xoá tài khoản của mình. Không có gì thay đổi.");
    }
    const account = await store.getStaff(username);
    if (account === null) return fail(404, "unknown", NO_ACCOUNT);
    if (await lastAdmin(username)) return fail(409, "last-admin", LAST_ADMIN);
    const removed = await store.removeStaff(
      username,
      record(c, "staff.remove", username, { roles: account.roles }),
    );
    if (removed === "no-account") return fail(404, "unknown", NO_ACCOUNT);
    if (removed === "last-admin") return fail(409, "last-admin", LAST_ADMIN);
    logger.info("Admin {admin} removed the staff account {username}", {
      admin: c.get("session").username,
      username,
    });
    return done(c, "staff-removed");
  });

  action(NEWSROOM_PATHS.staffReset, "staff.reset", async (c, username) => {
    const account = await store.getStaff(username);
    if (account === null) return fail(404, "unknown", NO_ACCOUNT);
    const issued = issueLink(deps, username, "reset");
    const reset = await store.resetStaffPassword(
      issued.link,
      await hashPassword(newToken()),
      record(c, "staff.reset", username, { expiresAt: issued.link.expiresAt.toISOString() }),
    );
    if (!reset) return fail(404, "unknown", NO_ACCOUNT);
    logger.info("Admin {admin} forced a password reset of {username}", {
      admin: c.get("session").username,
      username,
    });
    return await linkPage(c, issued, account.email);
  });
}
