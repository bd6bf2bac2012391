import type { DatabaseSync } from "node:sqlite";
import { type SqliteTime, sqliteTime } from "../rows.ts";
import { LOGIN_FAILURE_RETENTION_MS } from "../staff.ts";
import { type DeviceRow, type LoginAttempts, toDevice } from "../staff-rows.ts";
import { insertAuditRow } from "./audit.ts";
import { prepared, transaction } from "./open.ts";

/** Login failures, their atomic count-and-check, and known devices, on SQLite. */
export function sqliteLoginAttempts(db: DatabaseSync): LoginAttempts {
  const count = (key: string, since: number) =>
    Number(
      (
        prepared(db, "SELECT count(*) AS n FROM login_failures WHERE key = ? AND at >= ?").get(
          key,
          since,
        ) as { n: number }
      ).n,
    );
  const record = (key: string, at: number) => {
    prepared(db, "DELETE FROM login_failures WHERE at < ?").run(at - LOGIN_FAILURE_RETENTION_MS);
    prepared(db, "INSERT INTO login_failures (key, at) VALUES (?, ?)").run(key, at);
  };
  return {
    async takeLoginAttempt(limits, at, since, audit) {
      // BEGIN IMMEDIATE: no other attempt counts between this one's check and its record.
      return transaction(db, () => {
        const from = since.getTime();
        for (const { key, limit } of limits) {
          if (count(`lock:${key}`, from) > 0 || count(key, from) >= limit) return key;
        }
        for (const { key } of limits) record(key, at.getTime());
        if (audit) insertAuditRow(db, audit);
        return null;
      });
    },

    async forgetLoginFailure(key, at) {
      prepared(
        db,
        `DELETE FROM login_failures WHERE rowid IN
           (SELECT rowid FROM login_failures WHERE key = ? AND at = ? LIMIT 1)`,
      ).run(key, at.getTime());
    },

    async recordLoginFailure(key, at, audit) {
      transaction(db, () => {
        record(key, at.getTime());
        if (audit) insertAuditRow(db, audit);
      });
    },

    async countLoginFailures(key, since) {
      return count(key, since.getTime());
    },

    async clearLoginFailures(key) {
      prepared(db, "DELETE FROM login_failures WHERE key = ?").run(key);
    },

    async addStaffDevice(device) {
      transaction(db, () => {
        prepared(db, "DELETE FROM staff_devices WHERE expires_at <= ?").run(
          device.createdAt.getTime(),
        );
        prepared(
          db,
          `INSERT OR REPLACE INTO staff_devices (id, username, created_at, expires_at)
             VALUES (?, ?, ?, ?)`,
        ).run(device.id, device.username, device.createdAt.getTime(), device.expiresAt.getTime());
      });
    },

    async getStaffDevice(id, now) {
      const row = prepared(db, "SELECT * FROM staff_devices WHERE id = ? AND expires_at > ?").get(
        id,
        now.getTime(),
      ) as DeviceRow<SqliteTime> | undefined;
      return row === undefined ? null : toDevice(sqliteTime, row);
    },
  };
}
