import type { Sql, TransactionSql } from "postgres";
import {
  type AuditEntry,
  type AuditStore,
  auditActionFilter,
  auditDetailJson,
  decodeAuditCursor,
  encodeAuditCursor,
} from "../audit.ts";
import { type AuditRow, toAuditRecord } from "../audit-rows.ts";
import { type PostgresTime, postgresTime } from "../rows.ts";

/**
 * Writes one audit record. Call it with the transaction (`sql.begin`) that
 * makes the change it records, so both are kept or neither is.
 */
export async function insertAuditRow(tx: Sql | TransactionSql, entry: AuditEntry): Promise<void> {
  await tx`
    INSERT INTO audit (at, actor, action, subject, outcome, address, detail)
    VALUES (${entry.at}, ${entry.actor}, ${entry.action}, ${entry.subject},
            ${entry.outcome}, ${entry.address}, ${auditDetailJson(entry.detail)})`;
}

/**
 * Runs `write` in a transaction and, when it changed a row and `audit` is
 * given, the record with it. True when a row changed.
 */
export async function changeAudited(
  sql: Sql,
  write: (tx: TransactionSql) => Promise<{ count: number }>,
  audit: AuditEntry | undefined,
): Promise<boolean> {
  return await sql.begin(async (tx) => {
    const changed = (await write(tx)).count > 0;
    if (changed && audit) await insertAuditRow(tx, audit);
    return changed;
  });
}

/** The audit trail on PostgreSQL. */
export function postgresAudit(sql: Sql): AuditStore {
  return {
    async appendAudit(entry) {
      await insertAuditRow(sql, entry);
    },

    async listAudit(query) {
      const before = decodeAuditCursor(query.cursor);
      if (before === false) return { items: [], next: null };
      const filter = query.action === undefined ? undefined : auditActionFilter(query.action);
      const limit = Math.max(1, Math.min(query.limit, 1000));
      const rows = await sql<AuditRow<PostgresTime>[]>`
        SELECT * FROM audit WHERE true
          ${before !== null ? sql`AND id < ${before}` : sql``}
          ${query.actor !== undefined ? sql`AND actor = ${query.actor}` : sql``}
          ${filter && "exact" in filter ? sql`AND action = ${filter.exact}` : sql``}
          ${filter && "prefix" in filter ? sql`AND left(action, ${filter.prefix.length}) = ${filter.prefix}` : sql``}
          ${query.since ? sql`AND at >= ${query.since}` : sql``}
          ${query.until ? sql`AND at < ${query.until}` : sql``}
        ORDER BY id DESC LIMIT ${limit + 1}`;
      const items = rows.slice(0, limit).map((row) => toAuditRecord(postgresTime, row));
      const last = items.at(-1);
      return { items, next: rows.length > limit && last ? encodeAuditCursor(last.id) : null };
    },
  };
}
