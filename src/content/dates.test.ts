import { describe, expect, it } from "vitest";
import { parseIsoDateTime } from "./dates.ts";

describe("parseIsoDateTime", () => {
  it("reads date-times with an offset or Z", () => {
    const r = parseIsoDateTime("2021-03-18T15:00:00+07:00");
    expect(r.ok && r.date.toISOString()).toBe("2021-03-18T08:00:00.000Z");
    const z = parseIsoDateTime("2021-03-18T08:00Z");
    expect(z.ok && z.date.toISOString()).toBe("2021-03-18T08:00:00.000Z");
    const compact = parseIsoDateTime("2021-03-18T15:00:00.5+0700");
    expect(compact.ok && compact.date.toISOString()).toBe("2021-03-18T08:00:00.500Z");
  });

  it("refuses a date-time without an offset, saying so", () => {
    const r = parseIsoDateTime("2021-03-18T15:00:00");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/no time zone offset/);
    expect(parseIsoDateTime("2021-03-18").ok).toBe(false);
  });

  it("refuses impossible dates and non-text", () => {
    expect(parseIsoDateTime("2021-02-30T10:00:00+07:00").ok).toBe(false);
    expect(parseIsoDateTime("2021-03-18T25:00:00+07:00").ok).toBe(false);
    expect(parseIsoDateTime("hôm qua").ok).toBe(false);
    expect(parseIsoDateTime(20210318).ok).toBe(false);
  });
});
