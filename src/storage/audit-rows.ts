/** The audit trail's rows, read back the same on both backends. */
import { type AuditRecord, parseAuditDetail } from "./audit.ts";
import type { ReadTime } from "./rows.ts";

export interface AuditRow<T> {
  /** A bigint column: PostgreSQL hands it back as text. */
  id: string | number;
  at: T;
  actor: string | null;
  action: string;
  subject: string | null;
  outcome: string;
  address: string | null;
  detail: string | null;
}

export function toAuditRecord<T>(time: ReadTime<T>, row: AuditRow<T>): AuditRecord {
  return {
    id: Number(row.id),
    at: time(row.at),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    outcome: row.outcome as AuditRecord["outcome"],
    address: row.address,
    detail: parseAuditDetail(row.detail),
  };
}
