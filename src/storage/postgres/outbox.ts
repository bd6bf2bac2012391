import type { Sql } from "postgres";
import { MAX_MAIL_ERROR, type OutboxStore } from "../outbox.ts";
import { type OutboxRow, toMail } from "../outbox-rows.ts";
import { type PostgresTime, postgresTime } from "../rows.ts";

/** The mail outbox on PostgreSQL; claims skip rows another process is leasing. */
export function postgresOutbox(sql: Sql): OutboxStore {
  return {
    async enqueueMail(mail) {
      await sql`
        INSERT INTO mail_outbox (id, recipient, subject, body, created_at, ready_at)
        VALUES (${mail.id}, ${mail.to}, ${mail.subject}, ${mail.text},
                ${mail.createdAt}, ${mail.createdAt})`;
    },

    async claimMail(holder, now, leaseMs, limit) {
      const rows = await sql<OutboxRow<PostgresTime>[]>`
        UPDATE mail_outbox SET lease_holder = ${holder},
            lease_until = ${new Date(now.getTime() + leaseMs)}, attempts = attempts + 1
        WHERE id IN (
          SELECT id FROM mail_outbox
          WHERE state = 'pending' AND ready_at <= ${now}
            AND (lease_until IS NULL OR lease_until <= ${now})
          ORDER BY ready_at, id LIMIT ${Math.max(1, Math.floor(limit))}
          FOR UPDATE SKIP LOCKED)
        RETURNING *`;
      return rows.map((row) => toMail(row, postgresTime));
    },

    async markMailSent(id, holder) {
      const rows = await sql`
        DELETE FROM mail_outbox WHERE id = ${id} AND lease_holder = ${holder} RETURNING id`;
      return rows.length > 0;
    },

    async markMailFailed(id, holder, retryAt, error) {
      const rows = await sql`
        UPDATE mail_outbox SET state = ${retryAt ? "pending" : "failed"},
            ready_at = COALESCE(${retryAt}, ready_at),
            lease_holder = NULL, lease_until = NULL,
            last_error = ${error.slice(0, MAX_MAIL_ERROR)}
        WHERE id = ${id} AND lease_holder = ${holder} RETURNING id`;
      return rows.length > 0;
    },

    async countPendingMail() {
      const rows = await sql<{ n: string }[]>`
        SELECT count(*) AS n FROM mail_outbox WHERE state = 'pending'`;
      return Number(rows[0]?.n ?? 0);
    },

    async listFailedMail(limit) {
      const rows = await sql<OutboxRow<PostgresTime>[]>`
        SELECT * FROM mail_outbox WHERE state = 'failed'
        ORDER BY created_at DESC, id LIMIT ${Math.max(1, Math.floor(limit))}`;
      return rows.map((row) => ({ ...toMail(row, postgresTime), lastError: row.last_error ?? "" }));
    },

    async forgetFailedMail(before) {
      const rows = await sql`
        DELETE FROM mail_outbox WHERE state = 'failed' AND created_at < ${before} RETURNING id`;
      return rows.length;
    },
  };
}
