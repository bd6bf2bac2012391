import type { Sql, TransactionSql } from "postgres";
import { type LinkRow, toLink } from "../password-link-rows.ts";
import {
  type NewPasswordLink,
  PASSWORD_LINK_RETENTION_MS,
  type PasswordLinkStore,
  unusableReason,
} from "../password-links.ts";
import { type PostgresTime, postgresTime } from "../rows.ts";
import { DEFAULT_ROLE, rolesToText } from "../staff.ts";
import { insertAuditRow } from "./audit.ts";

/** Voids the account's older links, forgets long-dead ones of anybody, and stores `link`. */
async function replaceLinks(tx: TransactionSql, link: NewPasswordLink): Promise<void> {
  const dead = new Date(link.createdAt.getTime() - PASSWORD_LINK_RETENTION_MS);
  await tx`DELETE FROM staff_password_links WHERE username = ${link.username} OR expires_at < ${dead}`;
  await tx`
    INSERT INTO staff_password_links (id, username, purpose, created_at, expires_at)
    VALUES (${link.id}, ${link.username}, ${link.purpose}, ${link.createdAt}, ${link.expiresAt})`;
}

/** One-time password links on PostgreSQL (shared by every web process). */
export function postgresPasswordLinks(sql: Sql): PasswordLinkStore {
  return {
    async addStaffWithLink(account, link, audit) {
      const roles = rolesToText(account.roles ?? [DEFAULT_ROLE]);
      return await sql.begin(async (tx) => {
        const result = await tx`
          INSERT INTO staff (username, password_hash, created_at, roles, email)
          VALUES (${account.username}, ${account.passwordHash}, ${account.createdAt},
                  ${roles}, ${account.email ?? null})
          ON CONFLICT (username) DO NOTHING`;
        if (result.count === 0) return false;
        await replaceLinks(tx, link);
        if (audit) await insertAuditRow(tx, audit);
        return true;
      });
    },

    async resetStaffPassword(link, lockedHash, audit) {
      return await sql.begin(async (tx) => {
        const result = await tx`
          UPDATE staff SET password_hash = ${lockedHash} WHERE username = ${link.username}`;
        if (result.count === 0) return false;
        await tx`DELETE FROM staff_sessions WHERE username = ${link.username}`;
        await replaceLinks(tx, link);
        if (audit) await insertAuditRow(tx, audit);
        return true;
      });
    },

    async getPasswordLink(id) {
      const rows = await sql<
        LinkRow<PostgresTime>[]
      >`SELECT * FROM staff_password_links WHERE id = ${id}`;
      return rows[0] ? toLink(rows[0], postgresTime) : null;
    },

    async unusedPasswordLinks() {
      const rows = await sql<LinkRow<PostgresTime>[]>`
        SELECT * FROM staff_password_links WHERE used_at IS NULL ORDER BY username`;
      return rows.map((row) => toLink(row, postgresTime));
    },

    async usePasswordLink(id, passwordHash, now, audit) {
      return await sql.begin(async (tx) => {
        // The row lock makes a second try wait, then find the link used.
        const rows = await tx<LinkRow<PostgresTime>[]>`
          SELECT * FROM staff_password_links WHERE id = ${id} FOR UPDATE`;
        const link = rows[0] ? toLink(rows[0], postgresTime) : null;
        const reason = unusableReason(link, now);
        if (reason !== null || link === null) {
          return { ok: false, reason: reason ?? "unknown" } as const;
        }
        await tx`UPDATE staff_password_links SET used_at = ${now} WHERE id = ${id}`;
        await tx`UPDATE staff SET password_hash = ${passwordHash} WHERE username = ${link.username}`;
        await tx`DELETE FROM staff_sessions WHERE username = ${link.username}`;
        if (audit) await insertAuditRow(tx, audit);
        return { ok: true, link: { ...link, usedAt: now } } as const;
      });
    },
  };
}
