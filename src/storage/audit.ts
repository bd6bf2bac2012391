/**
 * The audit trail: who did what in the newsroom, when and from where. Part of
 * {@link Store}. Append-only: the store has no update or delete for it, and
 * both backends refuse one at the database (a trigger), so no route, bug or
 * staff account can rewrite history. Records outlive the accounts they name
 * (`actor` is a username, not a foreign key).
 *
 * A change and its record are written in one transaction: a store part that
 * changes state calls its backend's `insertAuditRow` inside its own
 * transaction (`sqlite/audit.ts`, `postgres/audit.ts`), so there is never a
 * change without its record, nor a record of a change that did not happen.
 */
/** What happened to the action: done, refused for want of rights, or failed. */
export type AuditOutcome = "ok" | "denied" | "failed";

export interface AuditEntry {
  at: Date;
  /** The staff member's username; null when nobody is known (a stranger's login attempt). */
  actor: string | null;
  /** A dotted name, e.g. `login`, `login.failed`, `article.publish`, `staff.roles`. */
  action: string;
  /** What it was done to (an article id, a username, an actor URL, a domain); null if nothing. */
  subject: string | null;
  outcome: AuditOutcome;
  /** The client's address as the newsroom determined it; null for the command line. */
  address: string | null;
  /** Small structured facts (the roles given, the revision published, the reason refused). */
  detail: Readonly<Record<string, AuditDetailValue>> | null;
}

export type AuditDetailValue = string | number | boolean | null | readonly (string | number)[];

export interface AuditRecord extends AuditEntry {
  /** Increasing with every record: the order things were written in. */
  id: number;
}

export interface AuditQuery {
  actor?: string;
  /** An exact action, or a prefix ending in `.` (`article.` lists every article action). */
  action?: string;
  /** Records at or after this time. */
  since?: Date;
  /** Records before this time. */
  until?: Date;
  /** From {@link AuditPage.next}: records older than the last one shown. */
  cursor?: string | null;
  limit: number;
}

/** Longest `detail` kept, as JSON: a record is a line in a log, not a document. */
export const AUDIT_DETAIL_MAX_CHARS = 4096;

/** One page of records, newest first; `next` is null at the end. */
export interface AuditPage {
  items: AuditRecord[];
  next: string | null;
}

export interface AuditStore {
  /** Appends one record on its own (a login failure, a denied attempt). */
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(query: AuditQuery): Promise<AuditPage>;
}

/** The JSON stored for `detail`, cut to {@link AUDIT_DETAIL_MAX_CHARS}. */
export function auditDetailJson(detail: AuditEntry["detail"]): string | null {
  if (detail == null) return null;
  const json = JSON.stringify(detail);
  return json.length <= AUDIT_DETAIL_MAX_CHARS
    ? json
    : JSON.stringify({ truncated: json.slice(0, AUDIT_DETAIL_MAX_CHARS - 32) });
}

/** Parses a stored `detail`; a record written by an older version reads as null, not an error. */
export function parseAuditDetail(json: string | null): AuditEntry["detail"] {
  if (json == null) return null;
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, AuditDetailValue>)
      : null;
  } catch {
    return null;
  }
}

/** Pages go backwards by id; the cursor is the last id shown. */
export function encodeAuditCursor(id: number): string {
  return String(id);
}

/** null: first page; false: malformed (an empty last page, not page one again). */
export function decodeAuditCursor(raw: string | null | undefined): number | null | false {
  if (raw == null || raw === "") return null;
  return /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : false;
}

/** `action` as a SQL LIKE pattern (prefix ending in `.`) or an exact match. */
export function auditActionFilter(action: string): { exact: string } | { prefix: string } {
  return action.endsWith(".") ? { prefix: action } : { exact: action };
}
