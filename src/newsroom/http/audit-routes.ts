/**
 * `/admin/audit`: the audit trail for admins. Read only: there is no route
 * that changes or removes a record (and the store refuses it anyway).
 */
import type { Hono } from "hono";
import type { AuditQuery } from "../../storage/audit.ts";
import { type AuditFilters, CURSOR_PARAM, NEWSROOM_PATHS, renderAudit } from "../pages/index.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { noticeOf } from "./respond.ts";
import { requireRole } from "./roles.ts";

/** Records on one page. */
export const AUDIT_PAGE_SIZE = 50;

const DAY_MS = 86_400_000;

/** Registers the audit page (admins only). */
export function auditRoutes(app: Hono<NewsroomEnv>, deps: NewsroomDeps): void {
  app.get(NEWSROOM_PATHS.audit, requireRole("admin"), async (c) => {
    const text = (name: string, max: number) => (c.req.query(name) ?? "").trim().slice(0, max);
    const filters: AuditFilters = {
      actor: text("actor", 64).toLowerCase(),
      action: text("action", 64),
      since: dateText(text("since", 10)),
      until: dateText(text("until", 10)),
    };
    // Dates are days in the site's sense; UTC days are close enough for a filter and say so nowhere false.
    const query: AuditQuery = {
      limit: AUDIT_PAGE_SIZE,
      cursor: c.req.query(CURSOR_PARAM) ?? null,
      ...(filters.actor ? { actor: filters.actor } : {}),
      ...(filters.action ? { action: filters.action } : {}),
      ...(filters.since ? { since: new Date(`${filters.since}T00:00:00Z`) } : {}),
      ...(filters.until
        ? { until: new Date(Date.parse(`${filters.until}T00:00:00Z`) + DAY_MS) }
        : {}),
    };
    const page = await deps.store.listAudit(query);
    const nextQuery =
      page.next === null
        ? undefined
        : new URLSearchParams({
            ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== "")),
            [CURSOR_PARAM]: page.next,
          }).toString();
    return c.html(
      renderAudit({
        site: deps.content.current().site,
        csrfToken: c.get("session").csrfToken,
        viewer: c.get("viewer"),
        notice: noticeOf(c),
        filters,
        records: page.items,
        nextQuery,
      }),
    );
  });
}

/** A `YYYY-MM-DD` that is a real date, or "". */
function dateText(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
    ? value
    : "";
}
