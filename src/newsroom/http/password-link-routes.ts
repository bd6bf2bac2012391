/**
 * The one-time link's page, reachable without a session (register it before
 * the staff guard): the token in the URL is the credential, so the page is
 * never cached and sends no referrer. Setting the password uses the link up
 * atomically, ends every session of the account, is on record, and sends the
 * member to the login form.
 */
import { getLogger } from "@logtape/logtape";
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { unusableReason } from "../../storage/password-links.ts";
import { longEnough } from "../account-input.ts";
import {
  type LinkRefusal,
  NEWSROOM_PATHS,
  PASSWORD_LINK_PREFIX,
  type PasswordFormError,
  renderLinkRefused,
  renderPasswordForm,
} from "../pages/index.ts";
import { hashPassword } from "../password.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { formOf, fromOwnOrigin } from "./guard.ts";
import { clientAddress } from "./respond.ts";
import { isToken, sessionIdOf } from "./tokens.ts";

const logger = getLogger(["loa", "web", "newsroom", "staff"]);

/** The login form's query saying a password was just set. */
export const PASSWORD_SET_PARAM = "password-set";

/** Longer is not a password anyone types, and scrypt need not read it. */
const MAX_PASSWORD_LENGTH = 1024;

const STATUS: Readonly<Record<LinkRefusal, ContentfulStatusCode>> = {
  unknown: 404,
  used: 410,
  expired: 410,
  foreign: 403,
};

/** Registers `GET`/`POST /admin/password/{token}` on `app` (open: before the guard). */
export function passwordLinkRoutes(app: Hono<NewsroomEnv>, deps: NewsroomDeps): void {
  const path = `${PASSWORD_LINK_PREFIX}:token`;
  const site = () => deps.content.current().site;
  const refused = (c: Context, reason: LinkRefusal) =>
    c.html(renderLinkRefused({ site: site(), reason }), STATUS[reason]);
  /** The stored link the URL names, if it can still set a password. */
  const linkOf = async (c: Context) => {
    const token = c.req.param("token");
    if (!isToken(token)) return { reason: "unknown" as const, link: null };
    const link = await deps.store.getPasswordLink(sessionIdOf(token));
    return { reason: unusableReason(link, deps.clock()), link };
  };

  /**
   * Refuses a try to set the password (nothing changed). A try with a link
   * that was made is on record; a made-up token is only logged, so that a
   * stranger cannot fill the audit trail.
   */
  const failed = async (c: Context, username: string | null, reason: LinkRefusal) => {
    if (username === null) {
      logger.warning("Refused a password link from {address}: {reason}", {
        address: clientAddress(c),
        reason,
      });
      return refused(c, reason);
    }
    await deps.store.appendAudit({
      at: deps.clock(),
      actor: username,
      action: "password.set",
      subject: username,
      outcome: "failed",
      address: clientAddress(c),
      detail: { reason },
    });
    return refused(c, reason);
  };

  // The token is in the URL: no page of this path may name it to another site.
  app.use(path, async (c, next) => {
    await next();
    c.res.headers.set("Referrer-Policy", "no-referrer");
  });

  app.get(path, async (c) => {
    const { reason, link } = await linkOf(c);
    if (reason !== null || link === null) return refused(c, reason ?? "unknown");
    return c.html(
      renderPasswordForm({
        site: site(),
        username: link.username,
        action: c.req.path,
        expiresAt: link.expiresAt,
      }),
    );
  });

  app.post(path, async (c) => {
    const address = clientAddress(c);
    const { reason, link } = await linkOf(c);
    const foreign = !fromOwnOrigin(c, deps.config.origin);
    const refusal = foreign ? "foreign" : reason;
    if (refusal !== null || link === null) {
      return await failed(c, link?.username ?? null, refusal ?? "unknown");
    }
    const form = await formOf(c);
    const password = form.password ?? "";
    const error: PasswordFormError | null = !longEnough(password)
      ? "short"
      : password.length > MAX_PASSWORD_LENGTH
        ? "long"
        : password !== form.confirm
          ? "mismatch"
          : null;
    if (error !== null) {
      const page = renderPasswordForm({
        site: site(),
        username: link.username,
        action: c.req.path,
        expiresAt: link.expiresAt,
        error,
      });
      return c.html(page, 400);
    }
    const now = deps.clock();
    const used = await deps.store.usePasswordLink(link.id, await hashPassword(password), now, {
      at: now,
      actor: link.username,
      action: "password.set",
      subject: link.username,
      outcome: "ok",
      address,
      detail: { purpose: link.purpose },
    });
    if (!used.ok) {
      // Another try won in the meantime, or the link ran out while the password was hashed.
      return await failed(c, link.username, used.reason);
    }
    logger.info("Staff {username} set their password through a one-time link from {address}", {
      username: link.username,
      address,
    });
    return c.redirect(`${NEWSROOM_PATHS.login}?${PASSWORD_SET_PARAM}=1`, 303);
  });
}
