import type { Temporal } from "@js-temporal/polyfill";

/** A Fedify `Temporal.Instant` (or null) as a `Date`. */
export function toDate(instant: Pick<Temporal.Instant, "epochMilliseconds"> | null): Date | null {
  return instant == null ? null : new Date(instant.epochMilliseconds);
}
