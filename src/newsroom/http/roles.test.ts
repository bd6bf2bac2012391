/**
 * The role guard on today's routes: the moderators' pages and actions answer
 * a writer or an editor 403 and change nothing; a moderator and an admin pass.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { reply } from "../../../tests/fixtures/replies.ts";
import { type NewsroomApp, newsroomApp } from "../../../tests/helpers/newsroom-app.ts";
import { ARTICLE_PATHS, NEWSROOM_PATHS } from "../pages/index.ts";
import { hasRole } from "./roles.ts";

let app: NewsroomApp;
beforeEach(async () => {
  app = await newsroomApp();
});
afterEach(() => app.close());

const PAGES = [
  NEWSROOM_PATHS.queue,
  NEWSROOM_PATHS.mentions,
  NEWSROOM_PATHS.followers,
  NEWSROOM_PATHS.deliveries,
  NEWSROOM_PATHS.blocks,
];

describe("hasRole", () => {
  it("lets an admin do everything, and others what their roles name", () => {
    expect(hasRole(["admin"], ["moderator"])).toBe(true);
    expect(hasRole(["writer", "moderator"], ["moderator"])).toBe(true);
    expect(hasRole(["writer", "editor"], ["moderator"])).toBe(false);
    expect(hasRole([], ["writer"])).toBe(false);
  });
});

describe("the moderators' routes", () => {
  it("answer a writer and an editor 403 and change nothing", async () => {
    const r = reply("an", { state: "pending" });
    await app.storage.store.putInteraction(r);
    for (const [name, roles] of [
      ["viet", ["writer"]],
      ["bien", ["editor", "writer"]],
    ] as const) {
      const member = await app.signedInAs(name, roles);
      // The newsroom's first page is theirs too, without the moderators' sections.
      const first = await member.get(NEWSROOM_PATHS.home);
      expect(first.status).toBe(200);
      const nav = /<nav aria-label="Tòa soạn">[\s\S]*?<\/nav>/.exec(await first.text())?.[0] ?? "";
      expect(nav).toContain(`href="${ARTICLE_PATHS.list}"`);
      expect(nav).not.toContain(`href="${NEWSROOM_PATHS.queue}"`);
      for (const path of PAGES) expect((await member.get(path)).status, path).toBe(403);
      const csrf = /name="csrf" value="([^"]+)"/.exec(
        await (await member.get(NEWSROOM_PATHS.mentions)).text(),
      )?.[1];
      expect(csrf).toBeDefined();
      const posts: [string, Record<string, string>][] = [
        [NEWSROOM_PATHS.approve, { id: r.id }],
        [NEWSROOM_PATHS.reject, { id: r.id }],
        [NEWSROOM_PATHS.blockActor, { actor: r.author.actorId }],
        [NEWSROOM_PATHS.blockDomain, { domain: "social.example" }],
      ];
      for (const [path, fields] of posts) {
        const res = await member.post(path, { csrf: csrf ?? "", ...fields });
        expect(res.status, path).toBe(403);
        expect(await res.text()).toContain("không có quyền");
      }
    }
    expect((await app.storage.store.getInteraction(r.id))?.state).toBe("pending");
    expect(await app.storage.store.listBlocks()).toEqual([]);
    expect(app.changed).toEqual([]);
    // Every attempt is on record, with who tried what.
    const denied = await app.storage.store.listAudit({ action: "forbidden", limit: 100 });
    expect(denied.items.filter((e) => e.outcome === "denied")).toHaveLength(
      2 * (PAGES.length + 1 + 4),
    );
    expect(denied.items.map((e) => e.subject)).toContain(`POST ${NEWSROOM_PATHS.approve}`);
    expect(new Set(denied.items.map((e) => e.actor))).toEqual(new Set(["viet", "bien"]));
  });

  it("put a moderator's decisions and blocks in the audit trail", async () => {
    const r = reply("an", { state: "pending" });
    await app.storage.store.putInteraction(r);
    const member = await app.signedInAs("kiem", ["moderator"]);
    const csrf =
      /name="csrf" value="([^"]+)"/.exec(await (await member.get(PAGES[0] ?? "")).text())?.[1] ??
      "";
    expect((await member.post(NEWSROOM_PATHS.approve, { csrf, id: r.id })).status).toBe(303);
    expect(
      (await member.post(NEWSROOM_PATHS.blockDomain, { csrf, domain: "spam.example" })).status,
    ).toBe(303);
    const trail = await app.storage.store.listAudit({ actor: "kiem", limit: 10 });
    expect(trail.items.map((e) => [e.action, e.subject])).toEqual([
      ["block.domain", "spam.example"],
      ["reply.approve", r.id],
      ["login", "kiem"],
    ]);
  });

  it("let a moderator and an admin in", async () => {
    for (const [name, roles] of [
      ["kiem", ["moderator"]],
      ["quan", ["admin"]],
    ] as const) {
      const member = await app.signedInAs(name, roles);
      for (const path of PAGES) expect((await member.get(path)).status, path).toBe(200);
    }
  });
});

describe("the writers' and editors' routes", () => {
  it("answer a moderator who writes nothing 403: the articles, a new article, the pictures", async () => {
    const member = await app.signedInAs("kiem-duyet", ["moderator"]);
    for (const path of [ARTICLE_PATHS.list, `${ARTICLE_PATHS.list}/new`, NEWSROOM_PATHS.media]) {
      expect((await member.get(path)).status, path).toBe(403);
    }
    expect((await member.get(NEWSROOM_PATHS.queue)).status).toBe(200);
    const trail = await app.storage.store.listAudit({ action: "forbidden", limit: 10 });
    expect(trail.items.map((r) => r.subject)).toContain(`GET ${NEWSROOM_PATHS.media}`);
  });

  it("refuse a moderator's deletion of a picture, on record", async () => {
    const member = await app.signedInAs("kiem-duyet", ["moderator"]);
    const csrf = await member.csrfToken();
    const res = await member.post(NEWSROOM_PATHS.mediaDelete, { csrf, id: "0123456789abcdef" });
    expect(res.status).toBe(403);
    const trail = await app.storage.store.listAudit({ action: "forbidden", limit: 10 });
    expect(trail.items.map((r) => r.subject)).toContain(`POST ${NEWSROOM_PATHS.mediaDelete}`);
  });
});
