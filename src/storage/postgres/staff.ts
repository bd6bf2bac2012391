import type { Sql, TransactionSql } from "postgres";
import { type PostgresTime, postgresTime } from "../rows.ts";
import { DEFAULT_ROLE, rolesToText, type StaffRole, type StaffStore } from "../staff.ts";
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
import { postgresLoginAttempts } from "./login-attempts.ts";

/**
 * Why `username` may not be left with `keeps`, inside the caller's transaction.
 * The account's row and every admin's are locked (FOR UPDATE, in username
 * order so two callers never deadlock) until the caller commits: a second
 * admin change waits here, and READ COMMITTED then re-reads the rows it waited
 * for, dropping one that is no longer an admin (or gone), so it counts what the
 * first left. A SERIALIZABLE transaction would also be correct but fails the
 * loser with a serialization error to retry; waiting on a few rows is simpler.
 * Nothing lowers the admin count without taking these locks; a new admin made
 * meanwhile may go uncounted, which can only refuse, never leave no admin.
 */
async function refusal(tx: TransactionSql, username: string, keeps: readonly StaffRole[]) {
  const rows = await tx.unsafe<RolesRow[]>(
    `SELECT username, roles FROM staff WHERE username = $1 OR ${MAYBE_ADMIN_SQL}
       ORDER BY username FOR UPDATE`,
    [username],
  );
  return staffChangeRefusal(rows, username, keeps);
}

/** Staff accounts, sessions and login failures on PostgreSQL (shared by every web process). */
export function postgresStaff(sql: Sql): StaffStore {
  return {
    async putStaff(account, audit) {
      const roles = rolesToText(account.roles ?? [DEFAULT_ROLE]);
      return await sql.begin(async (tx) => {
        // `xmax = 0` holds only for a freshly inserted row.
        const rows = await tx<{ inserted: boolean }[]>`
          INSERT INTO staff (username, password_hash, created_at, roles, email)
          VALUES (${account.username}, ${account.passwordHash}, ${account.createdAt},
                  ${roles}, ${account.email ?? null})
          ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash
          RETURNING (xmax = 0) AS inserted`;
        const inserted = rows[0]?.inserted === true;
        // A new password ends what the old one opened, and any link to set another.
        if (!inserted) {
          await tx`DELETE FROM staff_sessions WHERE username = ${account.username}`;
          await tx`DELETE FROM staff_password_links WHERE username = ${account.username}`;
        }
        if (audit) await insertAuditRow(tx, audit);
        return inserted;
      });
    },

    async getStaff(username) {
      const rows = await sql<
        StaffRow<PostgresTime>[]
      >`SELECT * FROM staff WHERE username = ${username}`;
      return rows[0] ? toAccount(postgresTime, rows[0]) : null;
    },

    async removeStaff(username, audit) {
      // The sessions go with it (ON DELETE CASCADE): a removed account is logged out everywhere.
      return await sql.begin(async (tx) => {
        const refused = await refusal(tx, username, []);
        if (refused) return refused;
        await tx`DELETE FROM staff WHERE username = ${username}`;
        if (audit) await insertAuditRow(tx, audit);
        return "changed" as const;
      });
    },

    async listStaff() {
      const rows = await sql<StaffRow<PostgresTime>[]>`SELECT * FROM staff ORDER BY username`;
      return rows.map((row) => toAccount(postgresTime, row));
    },

    async setStaffRoles(username, roles, audit) {
      const text = rolesToText(roles);
      return await sql.begin(async (tx) => {
        const refused = await refusal(tx, username, roles);
        if (refused) return refused;
        await tx`UPDATE staff SET roles = ${text} WHERE username = ${username}`;
        await tx`DELETE FROM staff_sessions WHERE username = ${username}`;
        if (audit) await insertAuditRow(tx, audit);
        return "changed" as const;
      });
    },

    async setStaffEmail(username, email, audit) {
      return await sql.begin(async (tx) => {
        const result = await tx`UPDATE staff SET email = ${email} WHERE username = ${username}`;
        if (result.count === 0) return false;
        if (audit) await insertAuditRow(tx, audit);
        return true;
      });
    },

    async createSession(session, audit) {
      await sql.begin(async (tx) => {
        await tx`DELETE FROM staff_sessions WHERE expires_at <= ${session.createdAt}`;
        await tx`
          INSERT INTO staff_sessions (id, username, csrf_token, created_at, expires_at)
          VALUES (${session.id}, ${session.username}, ${session.csrfToken},
                  ${session.createdAt}, ${session.expiresAt})`;
        if (audit) await insertAuditRow(tx, audit);
      });
    },

    async getSession(id, now) {
      const rows = await sql<SessionRow<PostgresTime>[]>`
        SELECT s.*, staff.roles FROM staff_sessions s JOIN staff USING (username)
        WHERE s.id = ${id} AND s.expires_at > ${now}`;
      const row = rows[0];
      return row ? toSession(postgresTime, row) : null;
    },

    async deleteSession(id, audit) {
      await sql.begin(async (tx) => {
        await tx`DELETE FROM staff_sessions WHERE id = ${id}`;
        if (audit) await insertAuditRow(tx, audit);
      });
    },

    async endSessions(username, audit) {
      return await sql.begin(async (tx) => {
        const result = await tx`DELETE FROM staff_sessions WHERE username = ${username}`;
        if (audit) await insertAuditRow(tx, audit);
        return result.count;
      });
    },

    ...postgresLoginAttempts(sql),
  };
}
