import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import {
  type AuditEntry,
  type AuditStore,
  auditActionFilter,
  auditDetailJson,
  decodeAuditCursor,
  encodeAuditCursor,
} from "../audit.ts";
import { type AuditRow, toAuditRecord } from "../audit-rows.ts";
import { type SqliteTime, sqliteTime } from "../rows.ts";
import { prepared, transaction } from "./open.ts";

/**
 * Writes one audit record. Call it inside the `transaction` that makes the
 * change it records, so both are kept or neither is.
 */
export function insertAuditRow(db: DatabaseSync, entry: AuditEntry): void {
  prepared(
    db,
    `INSERT INTO audit (at, actor, action, subject, outcome, address, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    entry.at.getTime(),
    entry.actor,
    entry.action,
    entry.subject,
    entry.outcome,
    entry.address,
    auditDetailJson(entry.detail),
  );
}

/**
 * Runs `write` in a transaction and, when it changed a row and `audit` is
 * given, the record with it. True when a row changed.
 */
export function changeAudited(
  db: DatabaseSync,
  write: () => { changes: number | bigint },
  audit: AuditEntry | undefined,
): boolean {
  return transaction(db, () => {
    const changed = Number(write().changes) > 0;
    if (changed && audit) insertAuditRow(db, audit);
    return changed;
  });
}

/** The audit trail on SQLite. */
export function sqliteAudit(db: DatabaseSync): AuditStore {
  return {
    async appendAudit(entry) {
      insertAuditRow(db, entry);
    },

    async listAudit(query) {
      const before = decodeAuditCursor(query.cursor);
      if (before === false) return { items: [], next: null };
      const where: string[] = [];
      const params: SQLInputValue[] = [];
      const add = (clause: string, ...values: SQLInputValue[]) => {
        where.push(clause);
        params.push(...values);
      };
      if (before !== null) add("id < ?", before);
      if (query.actor !== undefined) add("actor = ?", query.actor);
      if (query.action !== undefined) {
        const filter = auditActionFilter(query.action);
        if ("exact" in filter) add("action = ?", filter.exact);
        else add("substr(action, 1, ?) = ?", filter.prefix.length, filter.prefix);
      }
      if (query.since) add("at >= ?", query.since.getTime());
      if (query.until) add("at < ?", query.until.getTime());
      const limit = Math.max(1, Math.min(query.limit, 1000));
      const rows = db
        .prepare(
          `SELECT * FROM audit ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
             ORDER BY id DESC LIMIT ?`,
        )
        .all(...params, limit + 1) as unknown as AuditRow<SqliteTime>[];
      const items = rows.slice(0, limit).map((row) => toAuditRecord(sqliteTime, row));
      const last = items.at(-1);
      return { items, next: rows.length > limit && last ? encodeAuditCursor(last.id) : null };
    },
  };
}
