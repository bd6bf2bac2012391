/** Rows of the one-time password links, read back the same on both backends. */
import type { PasswordLink, PasswordLinkPurpose } from "./password-links.ts";
import { maybeTime, type ReadTime } from "./rows.ts";

export interface LinkRow<T> {
  id: string;
  username: string;
  purpose: string;
  created_at: T;
  expires_at: T;
  used_at: T | null;
}

export function toLink<T>(row: LinkRow<T>, time: ReadTime<T>): PasswordLink {
  return {
    id: row.id,
    username: row.username,
    purpose: row.purpose as PasswordLinkPurpose,
    createdAt: time(row.created_at),
    expiresAt: time(row.expires_at),
    usedAt: maybeTime(time, row.used_at),
  };
}
