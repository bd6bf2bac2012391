import type { DatabaseSync } from "node:sqlite";
import { MAX_MAIL_ERROR, type OutboxStore } from "../outbox.ts";
import { type OutboxRow, toMail } from "../outbox-rows.ts";
import { type SqliteTime, sqliteTime } from "../rows.ts";
import { prepared, transaction } from "./open.ts";

/** The mail outbox on SQLite. */
export function sqliteOutbox(db: DatabaseSync): OutboxStore {
  return {
    async enqueueMail(mail) {
      prepared(
        db,
        `INSERT INTO mail_outbox (id, recipient, subject, body, created_at, ready_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(
        mail.id,
        mail.to,
        mail.subject,
        mail.text,
        mail.createdAt.getTime(),
        mail.createdAt.getTime(),
      );
    },

    async claimMail(holder, now, leaseMs, limit) {
      const at = now.getTime();
      // One IMMEDIATE transaction: no other handle reads between the choice and the lease.
      return transaction(db, () => {
        const rows = prepared(
          db,
          `SELECT * FROM mail_outbox
             WHERE state = 'pending' AND ready_at <= ?
               AND (lease_until IS NULL OR lease_until <= ?)
             ORDER BY ready_at, id LIMIT ?`,
        ).all(at, at, Math.max(1, Math.floor(limit))) as unknown as OutboxRow<SqliteTime>[];
        const lease = prepared(
          db,
          `UPDATE mail_outbox SET lease_holder = ?, lease_until = ?, attempts = attempts + 1
             WHERE id = ?`,
        );
        for (const row of rows) lease.run(holder, at + leaseMs, row.id);
        return rows.map((row) => toMail({ ...row, attempts: row.attempts + 1 }, sqliteTime));
      });
    },

    async markMailSent(id, holder) {
      const result = prepared(db, "DELETE FROM mail_outbox WHERE id = ? AND lease_holder = ?").run(
        id,
        holder,
      );
      return Number(result.changes) > 0;
    },

    async markMailFailed(id, holder, retryAt, error) {
      const result = prepared(
        db,
        `UPDATE mail_outbox SET state = ?, ready_at = COALESCE(?, ready_at),
             lease_holder = NULL, lease_until = NULL, last_error = ?
           WHERE id = ? AND lease_holder = ?`,
      ).run(
        retryAt ? "pending" : "failed",
        retryAt?.getTime() ?? null,
        error.slice(0, MAX_MAIL_ERROR),
        id,
        holder,
      );
      return Number(result.changes) > 0;
    },

    async countPendingMail() {
      const row = prepared(
        db,
        "SELECT count(*) AS n FROM mail_outbox WHERE state = 'pending'",
      ).get() as { n: number };
      return Number(row.n);
    },

    async listFailedMail(limit) {
      const rows = prepared(
        db,
        `SELECT * FROM mail_outbox WHERE state = 'failed'
           ORDER BY created_at DESC, id LIMIT ?`,
      ).all(Math.max(1, Math.floor(limit))) as unknown as OutboxRow<SqliteTime>[];
      return rows.map((row) => ({ ...toMail(row, sqliteTime), lastError: row.last_error ?? "" }));
    },

    async forgetFailedMail(before) {
      const result = prepared(
        db,
        "DELETE FROM mail_outbox WHERE state = 'failed' AND created_at < ?",
      ).run(before.getTime());
      return Number(result.changes);
    },
  };
}
