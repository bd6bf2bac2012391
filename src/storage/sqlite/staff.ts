import type { DatabaseSync } from "node:sqlite";
import { type SqliteTime, sqliteTime } from "../rows.ts";
import {
  DEFAULT_ROLE,
  type NewStaffAccount,
  rolesToText,
  type StaffRole,
  type StaffStore,
} from "../staff.ts";
import {
  MAYBE_ADMIN_SQL,
  type RolesRow,
  type SessionRow,
  type StaffRow,
  staffChangeRefusal,
  toAccount,
  toSession,
} from "../staff-rows.ts";
import { insertAuditRow } from "./audit.ts";
import { sqliteLoginAttempts } from "./login-attempts.ts";
import { prepared, transaction } from "./open.ts";

/**
 * Why `username` may not be left with `keeps`, read inside the caller's
 * transaction: `transaction` begins IMMEDIATE, so no other handle can change
 * an admin between this count and the caller's write.
 */
function refusal(db: DatabaseSync, username: string, keeps: readonly StaffRole[]) {
  const rows = prepared(
    db,
    `SELECT username, roles FROM staff WHERE username = ? OR ${MAYBE_ADMIN_SQL}`,
  ).all(username) as unknown as RolesRow[];
  return staffChangeRefusal(rows, username, keeps);
}

/**
 * Adds `account` unless its username is taken; true when it was added. For
 * the caller's transaction (a new account, or one made with a password link).
 */
export function insertNewStaff(db: DatabaseSync, account: NewStaffAccount): boolean {
  const result = prepared(
    db,
    `INSERT INTO staff (username, password_hash, created_at, roles, email)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING`,
  ).run(
    account.username,
    account.passwordHash,
    account.createdAt.getTime(),
    rolesToText(account.roles ?? [DEFAULT_ROLE]),
    account.email ?? null,
  );
  return Number(result.changes) > 0;
}

/** Staff accounts, sessions and login failures on SQLite. */
export function sqliteStaff(db: DatabaseSync): StaffStore {
  return {
    async putStaff(account, audit) {
      return transaction(db, () => {
        if (insertNewStaff(db, account)) {
          if (audit) insertAuditRow(db, audit);
          return true;
        }
        prepared(db, "UPDATE staff SET password_hash = ? WHERE username = ?").run(
          account.passwordHash,
          account.username,
        );
        // A new password ends what the old one opened, and any link to set another.
        prepared(db, "DELETE FROM staff_sessions WHERE username = ?").run(account.username);
        prepared(db, "DELETE FROM staff_password_links WHERE username = ?").run(account.username);
        if (audit) insertAuditRow(db, audit);
        return false;
      });
    },

    async getStaff(username) {
      const row = prepared(db, "SELECT * FROM staff WHERE username = ?").get(username);
      return row === undefined
        ? null
        : toAccount(sqliteTime, row as unknown as StaffRow<SqliteTime>);
    },

    async removeStaff(username, audit) {
      // The sessions go with it (ON DELETE CASCADE): a removed account is logged out everywhere.
      return transaction(db, () => {
        const refused = refusal(db, username, []);
        if (refused) return refused;
        prepared(db, "DELETE FROM staff WHERE username = ?").run(username);
        if (audit) insertAuditRow(db, audit);
        return "changed";
      });
    },

    async listStaff() {
      const rows = prepared(db, "SELECT * FROM staff ORDER BY username").all();
      return (rows as unknown as StaffRow<SqliteTime>[]).map((row) => toAccount(sqliteTime, row));
    },

    async setStaffRoles(username, roles, audit) {
      const text = rolesToText(roles);
      return transaction(db, () => {
        const refused = refusal(db, username, roles);
        if (refused) return refused;
        prepared(db, "UPDATE staff SET roles = ? WHERE username = ?").run(text, username);
        prepared(db, "DELETE FROM staff_sessions WHERE username = ?").run(username);
        if (audit) insertAuditRow(db, audit);
        return "changed";
      });
    },

    async setStaffEmail(username, email, audit) {
      return transaction(db, () => {
        const result = prepared(db, "UPDATE staff SET email = ? WHERE username = ?").run(
          email,
          username,
        );
        if (Number(result.changes) === 0) return false;
        if (audit) insertAuditRow(db, audit);
        return true;
      });
    },

    async createSession(session, audit) {
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
        if (audit) insertAuditRow(db, audit);
      });
    },

    async getSession(id, now) {
      const row = prepared(
        db,
        `SELECT s.*, staff.roles FROM staff_sessions s JOIN staff USING (username)
           WHERE s.id = ? AND s.expires_at > ?`,
      ).get(id, now.getTime());
      return row === undefined
        ? null
        : toSession(sqliteTime, row as unknown as SessionRow<SqliteTime>);
    },

    async deleteSession(id, audit) {
      transaction(db, () => {
        prepared(db, "DELETE FROM staff_sessions WHERE id = ?").run(id);
        if (audit) insertAuditRow(db, audit);
      });
    },

    async endSessions(username, audit) {
      return transaction(db, () => {
        const result = prepared(db, "DELETE FROM staff_sessions WHERE username = ?").run(username);
        if (audit) insertAuditRow(db, audit);
        return Number(result.changes);
      });
    },

    ...sqliteLoginAttempts(db),
  };
}
