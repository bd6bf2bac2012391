import type { Sql } from "postgres";
import {
  DEFAULT_ROLE,
  LOGIN_FAILURE_RETENTION_MS,
  rolesFromText,
  rolesToText,
  type StaffAccount,
  type StaffStore,
} from "../staff.ts";

interface StaffRow {
  username: string;
  password_hash: string;
  created_at: Date;
  roles: string;
  email: string | null;
}

interface SessionRow {
  id: string;
  username: string;
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
  roles: string;
}

/** Staff accounts, sessions and login failures on PostgreSQL (shared by every web process). */
export function postgresStaff(sql: Sql): StaffStore {
  return {
    async putStaff(account) {
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
        // A new password ends what the old one opened.
        if (!inserted) await tx`DELETE FROM staff_sessions WHERE username = ${account.username}`;
        return inserted;
      });
    },

    async getStaff(username) {
      const rows = await sql<StaffRow[]>`SELECT * FROM staff WHERE username = ${username}`;
      return rows[0] ? toAccount(rows[0]) : null;
    },

    async removeStaff(username) {
      // The sessions go with it (ON DELETE CASCADE): a removed account is logged out everywhere.
      const result = await sql`DELETE FROM staff WHERE username = ${username}`;
      return result.count > 0;
    },

    async listStaff() {
      const rows = await sql<StaffRow[]>`SELECT * FROM staff ORDER BY username`;
      return rows.map(toAccount);
    },

    async setStaffRoles(username, roles) {
      const text = rolesToText(roles);
      return await sql.begin(async (tx) => {
        const result = await tx`UPDATE staff SET roles = ${text} WHERE username = ${username}`;
        if (result.count === 0) return false;
        await tx`DELETE FROM staff_sessions WHERE username = ${username}`;
        return true;
      });
    },

    async setStaffEmail(username, email) {
      const result = await sql`UPDATE staff SET email = ${email} WHERE username = ${username}`;
      return result.count > 0;
    },

    async createSession(session) {
      await sql.begin(async (tx) => {
        await tx`DELETE FROM staff_sessions WHERE expires_at <= ${session.createdAt}`;
        await tx`
          INSERT INTO staff_sessions (id, username, csrf_token, created_at, expires_at)
          VALUES (${session.id}, ${session.username}, ${session.csrfToken},
                  ${session.createdAt}, ${session.expiresAt})`;
      });
    },

    async getSession(id, now) {
      const rows = await sql<SessionRow[]>`
        SELECT s.*, staff.roles FROM staff_sessions s JOIN staff USING (username)
        WHERE s.id = ${id} AND s.expires_at > ${now}`;
      const row = rows[0];
      return row
        ? {
            id: row.id,
            username: row.username,
            csrfToken: row.csrf_token,
            createdAt: row.created_at,
            expiresAt: row.expires_at,
            roles: rolesFromText(row.roles),
          }
        : null;
    },

    async deleteSession(id) {
      await sql`DELETE FROM staff_sessions WHERE id = ${id}`;
    },

    async endSessions(username) {
      const result = await sql`DELETE FROM staff_sessions WHERE username = ${username}`;
      return result.count;
    },

    async recordLoginFailure(key, at) {
      const horizon = new Date(at.getTime() - LOGIN_FAILURE_RETENTION_MS);
      await sql.begin(async (tx) => {
        await tx`DELETE FROM login_failures WHERE at < ${horizon}`;
        await tx`INSERT INTO login_failures (key, at) VALUES (${key}, ${at})`;
      });
    },

    async countLoginFailures(key, since) {
      const rows = await sql<{ n: string }[]>`
        SELECT count(*) AS n FROM login_failures WHERE key = ${key} AND at >= ${since}`;
      return Number(rows[0]?.n ?? 0);
    },

    async clearLoginFailures(key) {
      await sql`DELETE FROM login_failures WHERE key = ${key}`;
    },
  };
}

function toAccount(row: StaffRow): StaffAccount {
  return {
    username: row.username,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    roles: rolesFromText(row.roles),
    email: row.email ?? null,
  };
}
