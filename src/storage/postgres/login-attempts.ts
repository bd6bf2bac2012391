import type { Sql, TransactionSql } from "postgres";
import { type PostgresTime, postgresTime } from "../rows.ts";
import { LOGIN_FAILURE_RETENTION_MS } from "../staff.ts";
import { type DeviceRow, type LoginAttempts, toDevice } from "../staff-rows.ts";
import { insertAuditRow } from "./audit.ts";

/** Login failures, their atomic count-and-check, and known devices, on PostgreSQL. */
export function postgresLoginAttempts(sql: Sql): LoginAttempts {
  const count = async (tx: Sql | TransactionSql, key: string, since: Date) => {
    const rows = await tx<{ n: string }[]>`
      SELECT count(*) AS n FROM login_failures WHERE key = ${key} AND at >= ${since}`;
    return Number(rows[0]?.n ?? 0);
  };
  const record = async (tx: TransactionSql, key: string, at: Date) => {
    const horizon = new Date(at.getTime() - LOGIN_FAILURE_RETENTION_MS);
    await tx`DELETE FROM login_failures WHERE at < ${horizon}`;
    await tx`INSERT INTO login_failures (key, at) VALUES (${key}, ${at})`;
  };
  return {
    async takeLoginAttempt(limits, at, since, audit) {
      return await sql.begin(async (tx) => {
        // One attempt per key at a time, in every process: the check and the record are one
        // step. Keys are locked in one order, so two attempts never wait on each other.
        for (const key of limits.map((l) => l.key).sort()) {
          await tx`SELECT pg_advisory_xact_lock(hashtext(${`loa_login:${key}`}))`;
        }
        for (const { key, limit } of limits) {
          if (
            (await count(tx, `lock:${key}`, since)) > 0 ||
            (await count(tx, key, since)) >= limit
          ) {
            return key;
          }
        }
        for (const { key } of limits) await record(tx, key, at);
        if (audit) await insertAuditRow(tx, audit);
        return null;
      });
    },

    async forgetLoginFailure(key, at) {
      await sql`
        DELETE FROM login_failures WHERE ctid IN
          (SELECT ctid FROM login_failures WHERE key = ${key} AND at = ${at} LIMIT 1)`;
    },

    async recordLoginFailure(key, at, audit) {
      await sql.begin(async (tx) => {
        await record(tx, key, at);
        if (audit) await insertAuditRow(tx, audit);
      });
    },

    async countLoginFailures(key, since) {
      return await count(sql, key, since);
    },

    async clearLoginFailures(key) {
      await sql`DELETE FROM login_failures WHERE key = ${key}`;
    },

    async addStaffDevice(device) {
      await sql.begin(async (tx) => {
        await tx`DELETE FROM staff_devices WHERE expires_at <= ${device.createdAt}`;
        await tx`
          INSERT INTO staff_devices (id, username, created_at, expires_at)
          VALUES (${device.id}, ${device.username}, ${device.createdAt}, ${device.expiresAt})
          ON CONFLICT (id) DO UPDATE SET username = excluded.username,
            created_at = excluded.created_at, expires_at = excluded.expires_at`;
      });
    },

    async getStaffDevice(id, now) {
      const rows = await sql<DeviceRow<PostgresTime>[]>`
        SELECT * FROM staff_devices WHERE id = ${id} AND expires_at > ${now}`;
      const row = rows[0];
      return row ? toDevice(postgresTime, row) : null;
    },
  };
}
