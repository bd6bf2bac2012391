import type { DatabaseSync } from "node:sqlite";
import { type LinkRow, toLink } from "../password-link-rows.ts";
import {
  type NewPasswordLink,
  PASSWORD_LINK_RETENTION_MS,
  type PasswordLinkStore,
  unusableReason,
} from "../password-links.ts";
import { type SqliteTime, sqliteTime } from "../rows.ts";
import { insertAuditRow } from "./audit.ts";
import { prepared, transaction } from "./open.ts";
import { insertNewStaff } from "./staff.ts";

/** One-time password links on SQLite; each change is one IMMEDIATE transaction with its record. */
export function sqlitePasswordLinks(db: DatabaseSync): PasswordLinkStore {
  /** Voids the account's older links and forgets long-dead ones of anybody. */
  const replaceLinks = (link: NewPasswordLink) => {
    prepared(db, "DELETE FROM staff_password_links WHERE username = ? OR expires_at < ?").run(
      link.username,
      link.createdAt.getTime() - PASSWORD_LINK_RETENTION_MS,
    );
    prepared(
      db,
      `INSERT INTO staff_password_links (id, username, purpose, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?)`,
    ).run(link.id, link.username, link.purpose, link.createdAt.getTime(), link.expiresAt.getTime());
  };
  const get = (id: string) => {
    const row = prepared(db, "SELECT * FROM staff_password_links WHERE id = ?").get(id);
    return row === undefined ? null : toLink(row as unknown as LinkRow<SqliteTime>, sqliteTime);
  };

  return {
    async addStaffWithLink(account, link, audit) {
      return transaction(db, () => {
        if (!insertNewStaff(db, account)) return false;
        replaceLinks(link);
        if (audit) insertAuditRow(db, audit);
        return true;
      });
    },

    async resetStaffPassword(link, lockedHash, audit) {
      return transaction(db, () => {
        const result = prepared(db, "UPDATE staff SET password_hash = ? WHERE username = ?").run(
          lockedHash,
          link.username,
        );
        if (Number(result.changes) === 0) return false;
        prepared(db, "DELETE FROM staff_sessions WHERE username = ?").run(link.username);
        replaceLinks(link);
        if (audit) insertAuditRow(db, audit);
        return true;
      });
    },

    async getPasswordLink(id) {
      return get(id);
    },

    async unusedPasswordLinks() {
      const rows = prepared(
        db,
        "SELECT * FROM staff_password_links WHERE used_at IS NULL ORDER BY username",
      ).all();
      return (rows as unknown as LinkRow<SqliteTime>[]).map((r) => toLink(r, sqliteTime));
    },

    async usePasswordLink(id, passwordHash, now, audit) {
      return transaction(db, () => {
        const link = get(id);
        const reason = unusableReason(link, now);
        if (reason !== null || link === null) return { ok: false, reason: reason ?? "unknown" };
        prepared(db, "UPDATE staff_password_links SET used_at = ? WHERE id = ?").run(
          now.getTime(),
          id,
        );
        prepared(db, "UPDATE staff SET password_hash = ? WHERE username = ?").run(
          passwordHash,
          link.username,
        );
        prepared(db, "DELETE FROM staff_sessions WHERE username = ?").run(link.username);
        if (audit) insertAuditRow(db, audit);
        return { ok: true, link: { ...link, usedAt: now } };
      });
    },
  };
}
