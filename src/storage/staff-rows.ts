/** Rows of staff accounts, sessions and known devices, read back the same on both backends. */

import type { ReadTime } from "./rows.ts";
import type { StaffChange, StaffRole, StaffStore } from "./staff.ts";
import { rolesFromText, type StaffAccount, type StaffDevice, type StaffSession } from "./staff.ts";

export interface StaffRow<T> {
  username: string;
  password_hash: string;
  created_at: T;
  roles: string;
  email: string | null;
}

/** A session joined with its account's roles. */
export interface SessionRow<T> {
  id: string;
  username: string;
  csrf_token: string;
  created_at: T;
  expires_at: T;
  roles: string;
}

export interface DeviceRow<T> {
  id: string;
  username: string;
  created_at: T;
  expires_at: T;
}

/** The account's row and every admin's, as read (and locked) before a change. */
export interface RolesRow {
  username: string;
  roles: string;
}

/** Rows that may hold the `admin` role (the exact test is {@link rolesFromText}'s). */
export const MAYBE_ADMIN_SQL = "',' || roles || ',' LIKE '%,admin,%'";

/**
 * Why a change leaving `username` with `keeps` (nothing, when removed) must
 * not happen, from `rows` (the account's and every admin's); null when it may.
 */
export function staffChangeRefusal(
  rows: readonly RolesRow[],
  username: string,
  keeps: readonly StaffRole[],
): Exclude<StaffChange, "changed"> | null {
  const isAdmin = (row: RolesRow) => rolesFromText(row.roles).includes("admin");
  const account = rows.find((row) => row.username === username);
  if (account === undefined) return "no-account";
  if (!isAdmin(account) || keeps.includes("admin")) return null;
  return rows.some((row) => row.username !== username && isAdmin(row)) ? null : "last-admin";
}

/** The part of the staff store each backend keeps in its `login-attempts.ts`. */
export type LoginAttempts = Pick<
  StaffStore,
  | "takeLoginAttempt"
  | "forgetLoginFailure"
  | "recordLoginFailure"
  | "countLoginFailures"
  | "clearLoginFailures"
  | "addStaffDevice"
  | "getStaffDevice"
>;

export function toAccount<T>(time: ReadTime<T>, row: StaffRow<T>): StaffAccount {
  return {
    username: row.username,
    passwordHash: row.password_hash,
    createdAt: time(row.created_at),
    roles: rolesFromText(row.roles),
    email: row.email ?? null,
  };
}

export function toSession<T>(time: ReadTime<T>, row: SessionRow<T>): StaffSession {
  return {
    id: row.id,
    username: row.username,
    csrfToken: row.csrf_token,
    createdAt: time(row.created_at),
    expiresAt: time(row.expires_at),
    roles: rolesFromText(row.roles),
  };
}

export function toDevice<T>(time: ReadTime<T>, row: DeviceRow<T>): StaffDevice {
  return {
    id: row.id,
    username: row.username,
    createdAt: time(row.created_at),
    expiresAt: time(row.expires_at),
  };
}
