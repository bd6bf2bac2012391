import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ActivityStatus, StatusReport } from "./status.ts";
import { BAR, barParts, cut, displayName, renderStatus } from "./status-render.ts";

const NOW = new Date("2026-05-01T08:10:00Z");

function activity(overrides: Partial<ActivityStatus> & { slug?: string } = {}): ActivityStatus {
  const { slug = "le-hoi-du-lich-bien", ...rest } = overrides;
  const base = {
    activityId: `https://tin.cualo.vn/activities/${slug}/create/1`,
    firstAt: new Date("2026-05-01T08:05:00Z"),
    delivered: 1020,
    pending: 180,
    failed: 34,
    failingServers: ["down.example", "gone.example:8443"],
    ...rest,
  };
  return { ...base, total: base.delivered + base.pending + base.failed };
}

function report(overrides: Partial<StatusReport> = {}): StatusReport {
  return {
    collectedAt: NOW,
    followers: {
      total: 1234,
      servers: 87,
      top: [
        { server: "mastodon.social", count: 512 },
        { server: "social.example:8443", count: 77 },
      ],
    },
    queue: { queued: 340, ready: 300, delayed: 40 },
    activities: [activity()],
    failingServers: [
      { server: "down.example", count: 1 },
      { server: "gone.example:8443", count: 1 },
    ],
    ...overrides,
  };
}

/** The bar of the `n`th activity: the text between its brackets. */
function bars(text: string): string[] {
  return [...text.matchAll(/^ {2}\[([^\]]*)\]/gm)].map((m) => m[1] ?? "");
}

const count = (text: string, char: string) => [...text].filter((c) => c === char).length;

describe("renderStatus", () => {
  it("shows followers, their servers, the queue and each activity's counts", () => {
    const text = renderStatus(report(), { width: 100, color: false });
    expect(text).toContain("Followers  1,234 on 87 servers");
    expect(text).toMatch(/^ {2}mastodon\.social\s+512$/m);
    expect(text).toMatch(/^ {2}social\.example:8443\s+77$/m);
    expect(text).toContain("… and 85 more servers");
    expect(text).toContain("Queue      340 waiting: 300 ready, 40 delayed");
    expect(text).toMatch(/^ {2}le-hoi-du-lich-bien\/create\/1\s+5 min ago$/m);
    expect(text).toContain("82%  1,020 delivered · 180 pending · 34 failed");
  });

  it("draws bars in proportion to delivered, failed and pending", () => {
    const text = renderStatus(
      report({
        activities: [
          activity({ slug: "half", delivered: 50, failed: 25, pending: 25 }),
          activity({ slug: "done", delivered: 300, failed: 0, pending: 0, failingServers: [] }),
          activity({ slug: "new", delivered: 0, failed: 0, pending: 300, failingServers: [] }),
        ],
      }),
      { width: 120, color: false },
    );
    const [half, done, fresh] = bars(text);
    expect(half).toBeDefined();
    const width = [...(half ?? "")].length;
    expect(width).toBeGreaterThanOrEqual(10);
    // Each share within one character of exact (rounding), the whole width filled.
    expect(Math.abs(count(half ?? "", BAR.delivered) - width / 2)).toBeLessThan(1);
    expect(Math.abs(count(half ?? "", BAR.failed) - width / 4)).toBeLessThan(1);
    expect(Math.abs(count(half ?? "", BAR.pending) - width / 4)).toBeLessThan(1);
    // Delivered first, then failed, then what is still to go.
    expect(half).toMatch(/^#+x+\.+$/);
    expect(done).toBe(BAR.delivered.repeat(width));
    expect(fresh).toBe(BAR.pending.repeat(width));
    expect(text).toContain("100%  300 delivered · 0 pending · 0 failed");
    expect(text).toContain("  0%  0 delivered · 300 pending · 0 failed");
  });

  it("lists the failing servers per activity and overall", () => {
    const many = Array.from({ length: 30 }, (_, i) => `server-${i}.example`);
    const text = renderStatus(
      report({
        activities: [activity({ failingServers: many }), activity({ slug: "other" })],
        failingServers: [
          { server: "down.example", count: 2 },
          { server: "gone.example:8443", count: 1 },
        ],
      }),
      { width: 80, color: false },
    );
    expect(text).toContain("    failing: down.example, gone.example:8443\n");
    const crowded = text.split("\n").find((line) => line.includes("server-0.example"));
    expect(crowded).toMatch(/^ {4}failing: server-0\.example, server-1\.example, .*, \+\d+ more$/);
    const shown = count(crowded ?? "", ",");
    const more = Number(/\+(\d+) more$/.exec(crowded ?? "")?.[1]);
    expect(shown + more).toBe(30);
    expect(text).toMatch(
      /^Failing servers\n {2}down\.example in 2 activities\n {2}gone\.example:8443 in 1 activity$/m,
    );
  });

  it("cuts long names in the middle so that lines fit, keeping what tells them apart", () => {
    const slug = `${"thong-bao-ve-viec-".repeat(12)}cuoi`;
    const host = `${"very-long-subdomain.".repeat(6)}example`;
    const text = renderStatus(
      report({
        followers: { total: 1, servers: 1, top: [{ server: host, count: 1 }] },
        activities: [activity({ slug, failingServers: [host] })],
        failingServers: [{ server: host, count: 1 }],
      }),
      { width: 60, color: false },
    );
    for (const line of text.split("\n")) expect([...line].length).toBeLessThanOrEqual(60);
    // Too narrow for counts beside the bar: they get their own line.
    expect(text).toMatch(/^ {2}\[[#x.]+\] {2}82%\n {4}1,020 delivered · 180 pending · 34 failed$/m);
    const name = text.split("\n").find((line) => line.startsWith("  thong-bao"));
    expect(name).toContain("…");
    expect(name).toMatch(/cuoi\/create\/1\s+5 min ago$/);
    expect(text).toContain("  very-long-subdomain.");
    expect(text).not.toContain(host);
  });

  it("fits any report into a terminal of 80 columns or more", () => {
    const n = fc.integer({ min: 0, max: 1_000_000 });
    fc.assert(
      fc.property(
        fc.integer({ min: 80, max: 200 }),
        fc.array(
          fc.record({ delivered: n, pending: n, failed: n, slug: fc.string({ maxLength: 300 }) }),
          {
            maxLength: 5,
          },
        ),
        fc.array(fc.domain(), { maxLength: 40 }),
        (width, activities, hosts) => {
          const text = renderStatus(
            report({
              activities: activities.map((a) => activity({ ...a, failingServers: hosts })),
              failingServers: hosts.map((server) => ({ server, count: 1 })),
            }),
            { width, color: false },
          );
          for (const line of text.split("\n")) expect([...line].length).toBeLessThanOrEqual(width);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("colours only when asked", () => {
    const plain = renderStatus(report(), { width: 80, color: false });
    const colored = renderStatus(report(), { width: 80, color: true });
    expect(plain).not.toContain("\x1b[");
    expect(colored).toContain(`\x1b[32m${BAR.delivered}`);
    expect(colored).toContain(`\x1b[31m${BAR.failed}`);
    // The same text once the colours are taken out.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what is removed
    expect(colored.replace(/\x1b\[\d+m/g, "")).toBe(plain);
  });

  it("says so when there is nothing yet, or the queue cannot count", () => {
    const text = renderStatus(
      report({
        followers: { total: 0, servers: 0, top: [] },
        queue: null,
        activities: [activity({ delivered: 0, pending: 0, failed: 0, failingServers: [] })],
        failingServers: [],
      }),
      { width: 80, color: false },
    );
    expect(text).toContain("Followers  0 on 0 servers");
    expect(text).toContain("(this queue cannot count its messages)");
    expect(text).toContain("no deliveries (no followers then)");
    expect(text).not.toContain("Failing servers");
    expect(renderStatus(report({ activities: [] }), { width: 80, color: false })).toContain(
      "(none recorded yet)",
    );
  });
});

describe("barParts", () => {
  it("always fills the width and never rounds a failure away", () => {
    expect(barParts({ delivered: 9_999, failed: 1, pending: 0 }, 20)).toEqual({
      delivered: 19,
      failed: 1,
      pending: 0,
    });
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.nat(10_000),
        fc.nat(10_000),
        fc.integer({ min: 10, max: 50 }),
        (delivered, failed, pending, width) => {
          const parts = barParts({ delivered, failed, pending }, width);
          expect(parts.delivered + parts.failed + parts.pending).toBe(width);
          if (failed > 0) expect(parts.failed).toBeGreaterThan(0);
          const total = delivered + failed + pending;
          if (total > 0) {
            // Within one character (two for the one kept for failures) of the exact share.
            expect(Math.abs(parts.delivered - (delivered / total) * width)).toBeLessThan(2);
          }
        },
      ),
    );
  });
});

describe("displayName and cut", () => {
  it("reads an activity id as its decoded path", () => {
    expect(displayName("https://tin.cualo.vn/activities/l%E1%BB%85-h%E1%BB%99i/update/3")).toBe(
      "lễ-hội/update/3",
    );
    expect(displayName("https://tin.cualo.vn/users/cualo#accept/1")).toBe("/users/cualo#accept/1");
    expect(displayName("not a url")).toBe("not a url");
  });

  it("keeps both ends of a cut name", () => {
    expect(cut("abcdefghij", 10)).toBe("abcdefghij");
    expect(cut("abcdefghij", 7)).toBe("abc…hij");
    expect(cut("lễ-hội-du-lịch-biển", 9)).toBe("lễ-h…biển");
    expect([...cut("lễ-hội-du-lịch-biển", 9)].length).toBe(9);
  });
});
