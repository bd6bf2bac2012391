/**
 * Wall-clock times in the site's timezone, as the newsroom's form writes them
 * (`YYYY-MM-DDTHH:MM`). A time the clocks skip (a DST gap) names no moment and
 * is refused; a repeated one (the hour after clocks go back) takes the first.
 */

export type LocalTimeResult =
  | { ok: true; date: Date }
  | { ok: false; reason: "format" | "impossible" | "gap" };

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of `date` in `timeZone`, as UTC milliseconds of those fields. */
function wallClock(date: Date, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(date)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

/** Parses `YYYY-MM-DDTHH:MM[:SS]` as a wall-clock time in `timeZone`. */
export function parseLocalDateTime(value: string, timeZone: string): LocalTimeResult {
  const m = LOCAL.exec(value.trim());
  if (!m) return { ok: false, reason: "format" };
  const [, y, mo, d, h, mi, s = "00"] = m;
  const wanted = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(wanted);
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    return { ok: false, reason: "impossible" };
  }
  // The zone's offset near that time, tried from a day before and after: a
  // moment whose wall clock reads exactly `wanted` exists unless it is a gap.
  const candidates = new Set<number>();
  for (const probe of [wanted - 86_400_000, wanted, wanted + 86_400_000]) {
    const offset = wallClock(new Date(probe), timeZone) - probe;
    candidates.add(wanted - offset);
  }
  const matches = [...candidates]
    .filter((t) => wallClock(new Date(t), timeZone) === wanted)
    .sort((a, b) => a - b);
  const first = matches[0];
  return first === undefined ? { ok: false, reason: "gap" } : { ok: true, date: new Date(first) };
}

/** `date` as the form shows it in `timeZone`: `YYYY-MM-DDTHH:MM`. */
export function formatLocalDateTime(date: Date, timeZone: string): string {
  return new Date(wallClock(date, timeZone)).toISOString().slice(0, 16);
}
