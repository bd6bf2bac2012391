/**
 * `collectStatus` against the real stores (SQLite, PostgreSQL), filled
 * through their own methods. Skipped, with a message, while the store does not
 * yet record delivery progress.
 */
import { describe, expect, it } from "vitest";
import { collectStatus } from "../../src/operations/status.ts";
import { renderStatus } from "../../src/operations/status-render.ts";
import { backends } from "../storage/backends.ts";
import {
  ACTIVITY_A,
  ACTIVITY_B,
  deliveriesOf,
  recordsDeliveries,
  seed,
} from "./status-fixtures.ts";

const NOW = new Date("2026-05-01T01:10:00Z");

for (const backend of await backends()) {
  const ready = await recordsDeliveries(backend);
  describe.skipIf(!ready)(`collectStatus on ${backend.name}`, () => {
    it("counts followers by server, the queue, and each activity's progress", async () => {
      const storage = await (await backend.target()).open();
      try {
        await seed(storage);
        const report = await collectStatus(
          { store: deliveriesOf(storage.store), queue: storage.lanes.delivery, clock: () => NOW },
          { activities: 10, topServers: 2 },
        );
        expect(report.collectedAt).toEqual(NOW);
        expect(report.followers).toEqual({
          total: 6,
          servers: 3,
          top: [
            { server: "mastodon.social", count: 3 },
            { server: "social.example:8443", count: 2 },
          ],
        });
        expect(report.queue).toEqual({ queued: 2, ready: 1, delayed: 1 });
        expect(report.activities.map((a) => a.activityId)).toEqual([ACTIVITY_B, ACTIVITY_A]);
        const [b, a] = report.activities;
        expect(b).toMatchObject({ delivered: 2, pending: 0, failed: 0, total: 2 });
        expect(b?.failingServers).toEqual([]);
        // One delivered, one being retried and one waiting (both pending), one given up.
        expect(a).toMatchObject({ delivered: 1, pending: 2, failed: 1, total: 4 });
        expect([...(a?.failingServers ?? [])].sort()).toEqual(["down.example", "gone.example"]);
        expect([...report.failingServers].sort((x, y) => x.server.localeCompare(y.server))).toEqual(
          [
            { server: "down.example", count: 1 },
            { server: "gone.example", count: 1 },
          ],
        );

        const text = renderStatus(report, { width: 100, color: false });
        expect(text).toContain("Followers  6 on 3 servers");
        expect(text).toContain("2 waiting: 1 ready, 1 delayed");
        expect(text).toContain("1 delivered · 2 pending · 1 failed");
      } finally {
        await storage.close();
      }
    });

    it("shows only the latest activities when asked for fewer", async () => {
      const storage = await (await backend.target()).open();
      try {
        await seed(storage);
        const report = await collectStatus(
          { store: deliveriesOf(storage.store), queue: storage.lanes.delivery, clock: () => NOW },
          { activities: 1 },
        );
        expect(report.activities.map((a) => a.activityId)).toEqual([ACTIVITY_B]);
        expect(report.failingServers).toEqual([]);
      } finally {
        await storage.close();
      }
    });
  });
}
