import { describe, expect, it } from "vitest";
import type { Article, ContentSnapshot } from "../content/types.ts";
import type { LedgerEntry } from "../storage/store.ts";
import { createUrls } from "../urls.ts";
import { editTime, planChanges } from "./plan.ts";

const origin = new URL("https://cualo.example.vn");
const now = new Date("2026-05-01T10:00:00Z");

function article(slug: string, hash: string, extra: Partial<Article> = {}): Article {
  return {
    slug,
    file: `articles/${slug}.md`,
    title: slug,
    published: new Date("2026-05-01T09:00:00Z"),
    authors: [],
    tags: [],
    language: "vi",
    html: "<p>x</p>",
    hash,
    ...extra,
  };
}

function snapshot(articles: Article[], extra: Partial<ContentSnapshot> = {}): ContentSnapshot {
  const site = {
    title: "t",
    description: "d",
    language: "vi",
    timezone: "Asia/Ho_Chi_Minh",
    actor: { username: "cualo", name: "n", summary: "s" },
    links: [],
    replies: "moderated" as const,
  };
  return { site, articles, problems: [], brokenFiles: [], drafts: [], ...extra };
}

function entry(slug: string, extra: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    slug,
    file: `articles/${slug}.md`,
    hash: "h1",
    action: "create",
    activityId: `${origin.origin}/activities/${slug}/create/1`,
    version: 1,
    published: new Date("2026-05-01T09:00:00Z"),
    updated: null,
    queuedAt: new Date("2026-05-01T09:00:01Z"),
    ...extra,
  };
}

const plan = (published: Article[], ledger: LedgerEntry[], snap = snapshot(published)) =>
  planChanges({ urls: createUrls(origin), snapshot: snap, published, ledger, now });

describe("planChanges", () => {
  it("creates new articles, updates changed ones, deletes removed ones", () => {
    const result = plan(
      [article("new", "n1"), article("edited", "h2")],
      [entry("edited"), entry("removed")],
    );
    expect(result.send.map((s) => [s.entry.slug, s.entry.action, s.entry.activityId])).toEqual([
      ["new", "create", "https://cualo.example.vn/activities/new/create/1"],
      ["edited", "update", "https://cualo.example.vn/activities/edited/update/2"],
      ["removed", "delete", "https://cualo.example.vn/activities/removed/delete/2"],
    ]);
    expect(result.send.every((s) => s.entry.queuedAt === null)).toBe(true);
  });

  it("sends nothing when content matches the ledger", () => {
    expect(plan([article("a", "h1")], [entry("a")]).send).toEqual([]);
  });

  it("re-sends an entry that never reached the queue under the same id", () => {
    const pending = entry("a", { queuedAt: null });
    const result = plan([article("a", "h1")], [pending]);
    expect(result.send.map((s) => s.entry.activityId)).toEqual([pending.activityId]);
  });

  it("re-sends a pending entry with the current text, still under its id, when it changed since", () => {
    const pending = entry("a", { queuedAt: null });
    const result = plan([article("a", "h9")], [pending]);
    expect(result.send).toHaveLength(1);
    expect(result.send[0]?.entry).toMatchObject({ activityId: pending.activityId, hash: "h9" });
  });

  it("does not read a broken file as a removal", () => {
    const snap = snapshot([], {
      problems: [{ file: "articles/a.md", field: "title", reason: "is required" }],
    });
    const result = plan([], [entry("a")], snap);
    expect(result.send).toEqual([]);
    expect(result.warnings.join()).toContain("articles/a.md");
  });

  it("withdraws an article turned back into a draft (unlike a broken one)", () => {
    const snap = snapshot([], { drafts: ["articles/a.md"] });
    const result = plan([], [entry("a"), entry("b")], snap);
    expect(result.send.map((s) => s.entry.action)).toEqual(["delete", "delete"]);
  });

  it("does not delete everything when the content dir looks empty", () => {
    const result = plan([], [entry("a"), entry("b")]);
    expect(result.send).toEqual([]);
    expect(result.warnings).toHaveLength(1);
  });

  it("re-creates an article that comes back after a delete, with a new version", () => {
    const deleted = entry("a", { action: "delete", version: 2, hash: "" });
    const result = plan([article("a", "h1")], [deleted]);
    expect(result.send[0]?.entry).toMatchObject({ action: "create", version: 3 });
  });
});

describe("editTime", () => {
  it("uses the article's own `updated` when it is later than what was federated", () => {
    const updated = new Date("2026-05-01T09:30:00Z");
    expect(editTime(article("a", "h", { updated }), entry("a"), now)).toEqual(updated);
  });

  it("falls back to now, so Mastodon applies the edit", () => {
    expect(editTime(article("a", "h"), entry("a"), now)).toEqual(now);
  });
});
