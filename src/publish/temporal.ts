import { Temporal as Polyfill } from "@js-temporal/polyfill";

/**
 * Fedify's type declarations reference TypeScript's `esnext.temporal` lib,
 * while at runtime (Node 24 has no global Temporal) it uses
 * `@js-temporal/polyfill`. With TypeScript ≥ 6 the polyfill's classes are not
 * assignable to the lib's types even though they are the very objects Fedify
 * expects, so the one cast lives here instead of at every call site.
 */
export function toInstant(date: Date): Temporal.Instant {
  return Polyfill.Instant.fromEpochMilliseconds(date.getTime()) as unknown as Temporal.Instant;
}
