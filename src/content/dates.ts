export type DateResult = { ok: true; date: Date } | { ok: false; reason: string };

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)$/;

const EXAMPLE = "e.g. 2021-03-18T15:00:00+07:00";

/**
 * Parses an ISO 8601 date-time that carries an explicit offset (or `Z`).
 * Without one the moment is ambiguous (whose 15:00?), so it is refused rather
 * than guessed. Impossible dates such as 2021-02-30 are refused too.
 */
export function parseIsoDateTime(value: unknown): DateResult {
  // YAML may hand us a Date if someone used another schema; accept it.
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? { ok: false, reason: "is not a valid date" }
      : { ok: true, date: value };
  }
  if (typeof value !== "string")
    return { ok: false, reason: `must be a date-time text, ${EXAMPLE}` };
  const text = value.trim();
  const m = ISO.exec(text);
  if (!m) {
    if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(text)) {
      return {
        ok: false,
        reason: `"${text}" has no time zone offset: write it with one, ${EXAMPLE}`,
      };
    }
    return { ok: false, reason: `"${text}" is not an ISO 8601 date-time, ${EXAMPLE}` };
  }
  const [, y, mo, d, h, mi, s = "00", frac = "", zone = "Z"] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  let offset = "Z";
  if (zone !== "Z" && zone !== "z") {
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || "0");
    if (oh > 23 || om > 59) return { ok: false, reason: `"${text}" has an impossible offset` };
    offset = `${zone[0]}${digits.slice(0, 2)}:${(digits.slice(2) || "00").padEnd(2, "0")}`;
  }
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    return { ok: false, reason: `"${text}" is not a real date and time` };
  }
  const ms = frac ? frac.slice(0, 4).padEnd(4, "0") : ".000";
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`);
  if (Number.isNaN(date.getTime())) return { ok: false, reason: `"${text}" is not a valid date` };
  return { ok: true, date };
}
