/** `/admin/audit`: admins read the trail, filtered and paged; nobody else, and nobody changes it. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { textOf } from "../../../tests/helpers/html.ts";
import { type NewsroomApp, newsroomApp } from "../../../tests/helpers/newsroom-app.ts";
import { NEWSROOM_PATHS } from "../pages/index.ts";
import { AUDIT_PAGE_SIZE } from "./audit-routes.ts";

let app: NewsroomApp;
beforeEach(async () => {
  app = await newsroomApp();
});
afterEach(() => app.close());

describe("the audit page", () => {
  it("shows an admin the trail newest first, by person, action and date, page by page", async () => {
    for (let i = 0; i < AUDIT_PAGE_SIZE + 5; i++) {
      await app.storage.store.appendAudit({
        at: new Date(Date.UTC(2021, 2, 1 + (i % 10), 8)),
        actor: i % 2 ? "an" : "binh",
        action: i % 3 ? "reply.approve" : "block.domain",
        subject: `s${i}`,
        outcome: "ok",
        address: "203.0.113.7",
        detail: null,
      });
    }
    const admin = await app.signedIn();
    const first = await admin.get(NEWSROOM_PATHS.audit);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    const page = await first.text();
    // The admin's own login is the newest record.
    expect(textOf(page)).toContain("login · thu");
    const next = /href="([^"]+)" rel="next"/.exec(page)?.[1]?.replaceAll("&amp;", "&");
    expect(next).toBeDefined();
    expect((await (await admin.get(next ?? "")).text()).match(/<li><p><strong>/g)?.length).toBe(6);

    const filtered = await (
      await admin.get(
        `${NEWSROOM_PATHS.audit}?actor=an&action=block.&since=2021-03-02&until=2021-03-04`,
      )
    ).text();
    const subjects = [...textOf(filtered).matchAll(/block\.domain · (s\d+)/g)].map((m) => m[1]);
    // an: odd i; block.domain: i % 3 == 0; day 2..4: i % 10 in 1..3.
    const expected = Array.from({ length: AUDIT_PAGE_SIZE + 5 }, (_, i) => i)
      .filter((i) => i % 2 === 1 && i % 3 === 0 && i % 10 >= 1 && i % 10 <= 3)
      .reverse()
      .map((i) => `s${i}`);
    expect(subjects).toEqual(expected);
  });

  it("is for admins only, and takes no changes", async () => {
    const moderator = await app.signedInAs("kiem", ["moderator", "editor"]);
    expect((await moderator.get(NEWSROOM_PATHS.audit)).status).toBe(403);
    const admin = await app.signedIn();
    const csrf = await admin.csrfToken();
    for (const method of ["POST"]) {
      const res = await admin.post(NEWSROOM_PATHS.audit, { csrf, id: "1" });
      expect(res.status, method).toBe(405);
    }
    const before = (await app.storage.store.listAudit({ limit: 100 })).items.length;
    expect(before).toBeGreaterThan(0);
  });
});
