/**
 * What staff may block, checked before anything is stored: an actor's URL
 * (http or https, as its server gave it), or a host name with its port when
 * not the default, never our own.
 */
import { blockHost } from "../../storage/interactions.ts";

/** A checked value, or the reason (in Vietnamese, for the staff member) it was refused. */
export type Checked = { ok: true; value: string } | { ok: false; reason: string };

const MAX_LENGTH = 2048;

/**
 * The actor to block, exactly as given (trimmed): the store matches actor ids
 * as their servers spell them, so normalizing it would miss them.
 */
export function checkActor(raw: string | undefined, origin: URL): Checked {
  const value = (raw ?? "").trim();
  const url = value.length <= MAX_LENGTH ? URL.parse(value) : null;
  if (url === null || (url.protocol !== "https:" && url.protocol !== "http:") || !url.hostname) {
    return {
      ok: false,
      reason:
        "Địa chỉ tài khoản phải là một URL đầy đủ bắt đầu bằng https:// (ví dụ https://social.example/users/ten). Không có gì thay đổi.",
    };
  }
  if (url.host === origin.host) return { ok: false, reason: OWN };
  return { ok: true, value };
}

/**
 * The host to block, as {@link blockHost} names an actor's: lower case,
 * IDN in punycode, the port only when it is not the default.
 */
export function checkDomain(raw: string | undefined, origin: URL): Checked {
  const typed = (raw ?? "").trim().toLowerCase();
  const url = /^[^/?#@\\\s]{1,253}$/.test(typed) ? URL.parse(`https://${typed}`) : null;
  const host = url && url.pathname === "/" && url.hostname ? blockHost(url.href) : null;
  if (host === null || !/^[a-z0-9.[\]:-]+$/.test(host) || host.startsWith(".")) {
    return {
      ok: false,
      reason:
        "Tên máy chủ không hợp lệ: hãy nhập tên miền, kèm cổng nếu không phải cổng mặc định (ví dụ social.example hoặc social.example:8443). Không có gì thay đổi.",
    };
  }
  if (host === origin.host) return { ok: false, reason: OWN };
  return { ok: true, value: host };
}

const OWN = "Không thể chặn chính máy chủ của thị xã. Không có gì thay đổi.";
