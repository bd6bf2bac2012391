/**
 * Who may do what in the newsroom (the contract's "Roles"). `requireRole`
 * stands in front of a route, after the staff guard: a session without one of
 * the roles named (an `admin` has them all) gets 403 and nothing runs.
 *
 *     app.get(path, requireRole("moderator"), handler);
 *     app.use(path, requireRole("editor"));
 *
 * The session carries the account's roles as they are now (read with the
 * session), so a guard costs no query.
 */
import { getLogger } from "@logtape/logtape";
import type { Context, MiddlewareHandler } from "hono";
import type { StaffRole } from "../../storage/staff.ts";
import type { NewsroomEnv } from "./deps.ts";
import { clientAddress, refuse } from "./respond.ts";

const logger = getLogger(["loa", "web", "newsroom"]);

/** True when `roles` include one of `allowed`, or `admin` (who may do everything). */
export function hasRole(roles: readonly StaffRole[], allowed: readonly StaffRole[]): boolean {
  return roles.includes("admin") || allowed.some((role) => roles.includes(role));
}

/** True when the signed-in member may act as one of `allowed`. */
export function mayAct(c: Context<NewsroomEnv>, ...allowed: StaffRole[]): boolean {
  return hasRole(c.get("session").roles, allowed);
}

/** Middleware: only members with one of `allowed` (or `admin`) pass; others get 403. */
export function requireRole(...allowed: StaffRole[]): MiddlewareHandler<NewsroomEnv> {
  return async (c, next) => {
    const session = c.get("session");
    if (hasRole(session.roles, allowed)) return await next();
    logger.warning(
      "Refused {method} {path} to {username} ({roles}) from {address}: needs {allowed}",
      {
        method: c.req.method,
        path: c.req.path,
        username: session.username,
        roles: session.roles,
        address: clientAddress(c),
        allowed,
      },
    );
    const deps = c.get("newsroom");
    // The attempt is on record: a forged form for an action the role may not take shows here.
    await deps.store.appendAudit({
      at: deps.clock(),
      actor: session.username,
      action: "forbidden",
      subject: `${c.req.method} ${c.req.path}`,
      outcome: "denied",
      address: clientAddress(c),
      detail: { roles: session.roles, needs: allowed },
    });
    return refuse(
      c,
      deps,
      403,
      "Tài khoản của bạn không có quyền làm việc này, nên không có gì thay đổi. Nếu cần, xin nhờ quản trị viên cấp quyền.",
      session.csrfToken,
    );
  };
}
