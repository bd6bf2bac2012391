import type { DatabaseSync } from "node:sqlite";
import {
  LOGIN_FAILURE_RETENTION_MS,
  type StaffAccount,
  type StaffSession,
  type StaffStore,
} from "../staff.ts";
import { prepared, transaction } from "./open.ts";

interface StaffRow {
  username: string;
  password_hash: string;
  created_at: number;
}

interface SessionRow {
  id: string;
  username: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

/** Staff accounts, sessions and login failures on SQLite. */
export function sqliteStaff(db: DatabaseSync): StaffStore {
  return {
    async putStaff(account) {
      return transaction(db, () => {
        const existed = prepared(db, "SELECT 1 FROM staff WHERE username = ?").get(
          account.username,
        );
        prepared(
          db,
          `INSERT INTO staff (username, password_hash, created_at) VALUES (?, ?, ?)
             ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash`,
        ).run(account.username, account.passwordHash, account.createdAt.getTime());
        return existed === undefined;
      });
    },

    async getStaff(username) {
      const row = prepared(db, "SELECT * FROM staff WHERE username = ?").get(username);
      return row === undefined ? null : toAccount(row as unknown as StaffRow);
    },

    async removeStaff(username) {
      // The sessions go with it (ON DELETE CASCADE): a removed account is logged out everywhere.
      const result = prepared(db, "DELETE FROM staff WHERE username = ?").run(username);
      return Number(result.changes) > 0;
    },

    async listStaff() {
      const rows = prepared(db, "SELECT * FROM staff ORDER BY username").all();
      return (rows as unknown as StaffRow[]).map(toAccount);
    },

    async createSession(session) {
      transaction(db, () => {
        prepared(db, "DELETE FROM staff_sessions WHERE expires_at <= ?").run(
          session.createdAt.getTime(),
        );
        prepared(
          db,
          `INSERT INTO staff_sessions (id, username, csrf_token, created_at, expires_at)
             VALUES (?, ?, ?, ?, ?)`,
        ).run(
          session.id,
          session.username,
          session.csrfToken,
          session.createdAt.getTime(),
          session.expiresAt.getTime(),
        );
      });
    },

    async getSession(id, now) {
      const row = prepared(db, "SELECT * FROM staff_sessions WHERE id = ? AND expires_at > ?").get(
        id,
        now.getTime(),
      );
      return row === undefined ? null : toSession(row as unknown as SessionRow);
    },

    async deleteSession(id) {
      prepared(db, "DELETE FROM staff_sessions WHERE id = ?").run(id);
    },

    async recordLoginFailure(key, at) {
      transaction(db, () => {
        prepared(db, "DELETE FROM login_failures WHERE at < ?").run(
          at.getTime() - LOGIN_FAILURE_RETENTION_MS,
        );
        prepared(db, "INSERT INTO login_failures (key, at) VALUES (?, ?)").run(key, at.getTime());
      });
    },

    async countLoginFailures(key, since) {
      const row = prepared(
        db,
        "SELECT count(*) AS n FROM login_failures WHERE key = ? AND at >= ?",
      ).get(key, since.getTime()) as { n: number };
      return Number(row.n);
    },

    async clearLoginFailures(key) {
      prepared(db, "DELETE FROM login_failures WHERE key = ?").run(key);
    },
  };
}

function toAccount(row: StaffRow): StaffAccount {
  return {
    username: row.username,
    passwordHash: row.password_hash,
    createdAt: new Date(Number(row.created_at)),
  };
}

function toSession(row: SessionRow): StaffSession {
  return {
    id: row.id,
    username: row.username,
    csrfToken: row.csrf_token,
    createdAt: new Date(Number(row.created_at)),
    expiresAt: new Date(Number(row.expires_at)),
  };
}
