import { describe, expect, it } from "vitest";
import { formatLocalDateTime, parseLocalDateTime } from "./local-time.ts";

describe("wall-clock times in the site's timezone", () => {
  it("reads a Hanoi time as +07:00 and writes it back", () => {
    const r = parseLocalDateTime("2026-03-18T15:00", "Asia/Ho_Chi_Minh");
    expect(r).toEqual({ ok: true, date: new Date("2026-03-18T15:00:00+07:00") });
    expect(formatLocalDateTime(new Date("2026-03-18T08:00:00Z"), "Asia/Ho_Chi_Minh")).toBe(
      "2026-03-18T15:00",
    );
  });

  it("refuses a time the clocks skip, and takes the first of a repeated one", () => {
    expect(parseLocalDateTime("2026-03-29T02:30", "Europe/Paris")).toEqual({
      ok: false,
      reason: "gap",
    });
    expect(parseLocalDateTime("2026-10-25T02:30", "Europe/Paris")).toEqual({
      ok: true,
      date: new Date("2026-10-25T02:30:00+02:00"),
    });
    expect(parseLocalDateTime("2026-07-01T12:00", "Europe/Paris")).toEqual({
      ok: true,
      date: new Date("2026-07-01T12:00:00+02:00"),
    });
  });

  it("refuses what is not a date and time", () => {
    expect(parseLocalDateTime("hôm qua", "Asia/Ho_Chi_Minh")).toEqual({
      ok: false,
      reason: "format",
    });
    expect(parseLocalDateTime("2026-02-30T10:00", "Asia/Ho_Chi_Minh")).toEqual({
      ok: false,
      reason: "impossible",
    });
    expect(parseLocalDateTime("2026-02-03T24:00", "Asia/Ho_Chi_Minh")).toMatchObject({ ok: false });
  });
});
