import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { articleText, makeContentDir } from "../../../tests/fixtures/content/make-dir.ts";
import { loadContent } from "../../content/load.ts";
import type { ContentSnapshot } from "../../content/types.ts";
import { openStorage, type Storage } from "../../storage/open.ts";
import { createArticleService } from "./service.ts";
import type { Actor, ArticleForm, ArticleOutcome, ArticleService, StaffRole } from "./types.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const content = await makeContentDir({
  "articles/tu-file.md": articleText(["title: Bài từ tệp", "published: 2021-03-18T15:00:00+07:00"]),
});
const snapshot: ContentSnapshot = await loadContent(content.dir);
afterAll(() => content.cleanup());

let now = new Date("2026-03-01T08:00:00Z");
let storage: Storage;
let service: ArticleService;
let changes = 0;

const who = (username: string, ...roles: StaffRole[]): Actor => ({
  username,
  roles,
  address: "192.0.2.1",
});
const lan = who("lan", "writer");
const hoa = who("hoa", "writer");
const minh = who("minh", "editor");
const root = who("root", "admin");
const mod = who("mod", "moderator");

function form(overrides: Record<string, string | undefined> = {}): ArticleForm {
  return {
    title: "Cửa Lò đón khách",
    summary: "",
    body: "## Tin\n\nNội dung.",
    tags: "Du lịch, Cửa Lò",
    author: "Phòng Văn hóa",
    language: "vi",
    published: "",
    slug: "",
    image: "",
    image_alt: "",
    ...overrides,
  };
}

function ok(outcome: ArticleOutcome) {
  if (!outcome.ok) throw new Error(`expected success: ${JSON.stringify(outcome.failure)}`);
  return outcome.article;
}

beforeEach(async () => {
  await storage?.close();
  const dir = mkdtempSync(join(tmpdir(), "loa-articles-"));
  dirs.push(dir);
  storage = await openStorage({ dataDir: dir, databaseUrl: undefined });
  now = new Date("2026-03-01T08:00:00Z");
  changes = 0;
  service = createArticleService({
    store: storage.store,
    clock: () => now,
    content: { current: () => snapshot },
    pictures: async (id) =>
      id === "0123456789abcdef"
        ? {
            src: "/pictures/0123456789abcdef/full.jpg",
            srcset: "",
            sizes: "",
            width: 800,
            height: 600,
            mediaType: "image/jpeg",
            alt: "",
          }
        : null,
    changed: () => {
      changes++;
    },
  });
});
afterAll(() => storage?.close());

describe("the article service", () => {
  it("takes a writer's draft through submit, return, submit and an editor's publish", async () => {
    const draft = ok(await service.create(lan, form()));
    expect(draft.state).toBe("draft");
    expect(draft.article.slug).toBe("cua-lo-don-khach");
    expect(draft.latest).toMatchObject({ number: 1, savedBy: "lan", tags: ["Du lịch", "Cửa Lò"] });
    const id = draft.article.id;
    const submitted = ok(await service.submit(lan, id, 1));
    expect(submitted.state).toBe("submitted");
    expect(submitted.latest.submittedBy).toBe("lan");
    expect(await service.countSubmitted()).toBe(1);
    const returned = ok(await service.returnToWriter(minh, id, 1, "Thêm ảnh"));
    expect(returned.state).toBe("returned");
    expect(ok(await service.get(lan, id)).returnComment).toBe("Thêm ảnh");
    ok(await service.submit(lan, id, 1, form({ body: "Nội dung mới." })));
    const published = ok(await service.publish(minh, id, 2));
    expect(published.state).toBe("published");
    expect(published.published).toMatchObject({
      number: 2,
      approvedBy: "minh",
      publishedBy: "minh",
    });
    expect(published.latest.submittedBy).toBe("lan");
    expect(published.article.firstPublishedAt?.getTime()).toBe(now.getTime());
    expect(changes).toBe(1);
    const trail = await storage.store.listAudit({ action: "article.", limit: 10 });
    expect(trail.items.map((r) => [r.actor, r.action, r.outcome]).reverse()).toEqual([
      ["lan", "article.create", "ok"],
      ["lan", "article.submit", "ok"],
      ["minh", "article.return", "ok"],
      ["lan", "article.submit", "ok"],
      ["minh", "article.publish", "ok"],
    ]);
  });

  it("lets each role do only what the contract's table says, changing nothing otherwise", async () => {
    const make = async () => {
      const d = ok(
        await service.create(lan, form({ slug: `bai-${Math.random().toString(36).slice(2, 8)}` })),
      );
      return d.article.id;
    };
    const publishedOne = async () => {
      const id = await make();
      ok(await service.publish(minh, id, 1));
      return id;
    };
    type Case = [Actor, string, () => Promise<string>, (id: string) => Promise<ArticleOutcome>];
    const forbidden: Case[] = [
      [
        hoa,
        "save another's draft",
        make,
        (id) => service.save(hoa, id, 1, form({ title: "Của Hoa" })),
      ],
      [hoa, "submit another's draft", make, (id) => service.submit(hoa, id, 1)],
      [lan, "publish", make, (id) => service.publish(lan, id, 1)],
      [lan, "return", make, (id) => service.returnToWriter(lan, id, 1, "x")],
      [lan, "withdraw", publishedOne, (id) => service.withdraw(lan, id, 1)],
      [
        lan,
        "edit own published",
        publishedOne,
        (id) => service.save(lan, id, 1, form({ title: "Sửa lén" })),
      ],
      [lan, "restore", make, (id) => service.restore(lan, id, 1, 1)],
      [mod, "save", make, (id) => service.save(mod, id, 1, form())],
      [mod, "publish", make, (id) => service.publish(mod, id, 1)],
      [hoa, "view another's draft", make, (id) => service.get(hoa, id)],
    ];
    for (const [actor, what, setup, attempt] of forbidden) {
      const id = await setup();
      const before = await storage.store.getArticle(id);
      const counter = await storage.store.articleChangeCounter();
      const outcome = await attempt(id);
      expect(outcome, `${actor.username}: ${what}`).toMatchObject({
        ok: false,
        failure: { kind: expect.stringMatching(/forbidden|state/) },
      });
      expect(await storage.store.getArticle(id), what).toEqual(before);
      expect(await storage.store.articleChangeCounter(), what).toBe(counter);
      if (!outcome.ok && outcome.failure.kind === "forbidden") {
        const records = await storage.store.listAudit({ actor: actor.username, limit: 1 });
        expect(records.items[0], what).toMatchObject({
          subject: id,
          outcome: "denied",
          address: "192.0.2.1",
        });
      }
    }
    expect((await service.create(mod, form({ slug: "cua-mod" }))).ok).toBe(false);
    // What they may do.
    const id = await make();
    ok(await service.save(lan, id, 1, form({ title: "Lan sửa" })));
    ok(await service.save(minh, id, 2, form({ title: "Minh sửa" })));
    ok(await service.publish(root, id, 3));
    ok(await service.withdraw(minh, id, 3));
    ok(await service.republish(root, id, 3));
    ok(await service.restore(minh, id, 3, 1));
  });

  it("refuses a save made from an older revision and loses neither", async () => {
    const id = ok(await service.create(lan, form())).article.id;
    ok(await service.save(minh, id, 1, form({ body: "Bản của Minh" })));
    const outcome = await service.save(lan, id, 1, form({ body: "Bản của Lan" }));
    expect(outcome).toMatchObject({
      ok: false,
      failure: { kind: "conflict", latest: { number: 2, body: "Bản của Minh", savedBy: "minh" } },
    });
    const revisions = await service.revisions(minh, id);
    expect(Array.isArray(revisions) && revisions.map((r) => r.body)).toEqual([
      "Bản của Minh",
      "## Tin\n\nNội dung.",
    ]);
    // The approval of a revision that changed since it was shown is refused too.
    expect(await service.publish(minh, id, 1)).toMatchObject({
      ok: false,
      failure: { kind: "conflict" },
    });
  });

  it("restores an old revision as a new one and diffs any two", async () => {
    const id = ok(await service.create(lan, form())).article.id;
    ok(
      await service.save(lan, id, 1, form({ title: "Tiêu đề khác", body: "Dòng một.\nDòng hai." })),
    );
    const restored = ok(await service.restore(minh, id, 2, 1));
    expect(restored.latest).toMatchObject({
      number: 3,
      title: "Cửa Lò đón khách",
      restoredFrom: 1,
      savedBy: "minh",
    });
    const diff = await service.diff(minh, id, 1, 2);
    if ("kind" in diff) throw new Error("no diff");
    expect(diff.parts).toContainEqual({ field: "title", kind: "added", text: "khác" });
    expect(diff.parts.some((p) => p.field === "body" && p.kind === "removed")).toBe(true);
    expect(diff.parts.some((p) => p.field === "summary")).toBe(false);
  });

  it("fixes the slug once published and refuses slugs held by files or other articles", async () => {
    const id = ok(await service.create(lan, form({ slug: "mot-slug" }))).article.id;
    ok(await service.save(lan, id, 1, form({ slug: "slug-moi" })));
    ok(await service.publish(minh, id, 2));
    expect(await service.save(minh, id, 2, form({ slug: "slug-khac" }))).toMatchObject({
      ok: false,
      failure: { kind: "invalid", fields: { slug: expect.stringContaining("slug-moi") } },
    });
    expect(await service.create(lan, form({ slug: "tu-file" }))).toMatchObject({
      ok: false,
      failure: { kind: "invalid", fields: { slug: expect.stringContaining("bài khác") } },
    });
    expect(await service.create(lan, form({ slug: "slug-moi" }))).toMatchObject({
      ok: false,
      failure: { kind: "invalid", fields: { slug: expect.any(String) } },
    });
    // An empty slug comes from the title, free of what is taken.
    const again = ok(await service.create(lan, form({ title: "Bài từ tệp" })));
    expect(again.article.slug).toBe("bai-tu-tep");
    const third = ok(await service.create(lan, form({ title: "Slug mới" })));
    expect(third.article.slug).toBe("slug-moi-2");
  });

  it("answers bad input with one Vietnamese message per field and changes nothing", async () => {
    const counter = await storage.store.articleChangeCounter();
    const cases: [ArticleForm, string][] = [
      [form({ title: "x".repeat(10_000) }), "title"],
      [form({ title: "" }), "title"],
      [form({ published: "ngày mai" }), "published"],
      [form({ published: "2026-02-30T10:00" }), "published"],
      [form({ slug: "Đường dẫn/../x" }), "slug"],
      [form({ slug: "a b" }), "slug"],
      [form({ language: "tiếng việt" }), "language"],
      [form({ image: "0123456789abcdef" }), "image_alt"],
      [form({ image: "khong-co", image_alt: "Ảnh" }), "image"],
      [{ ...form(), draft: "true" }, "form"],
    ];
    for (const [input, field] of cases) {
      const outcome = await service.create(lan, input);
      expect(outcome, field).toMatchObject({ ok: false, failure: { kind: "invalid" } });
      if (!outcome.ok && outcome.failure.kind === "invalid") {
        expect(Object.keys(outcome.failure.fields), field).toEqual([field]);
      }
    }
    expect(await storage.store.articleChangeCounter()).toBe(counter);
  });

  it("refuses a time that does not exist in the site's timezone", async () => {
    const paris = {
      ...snapshot,
      site: { ...snapshot.site, timezone: "Europe/Paris" },
    };
    const inParis = createArticleService({
      store: storage.store,
      clock: () => now,
      content: { current: () => paris },
      pictures: async () => null,
    });
    expect(await inParis.create(lan, form({ published: "2026-03-29T02:30" }))).toMatchObject({
      ok: false,
      failure: { kind: "invalid", fields: { published: expect.stringContaining("Europe/Paris") } },
    });
  });

  it("schedules, changes the time, unschedules, and shows a due article as published", async () => {
    const id = ok(await service.create(lan, form({ published: "2026-03-02T09:00" }))).article.id;
    const scheduled = ok(await service.publish(minh, id, 1));
    expect(scheduled.state).toBe("scheduled");
    expect(scheduled.article.firstPublishedAt?.toISOString()).toBe("2026-03-02T02:00:00.000Z");
    expect(scheduled.publishedLocal).toBe("2026-03-02T09:00");
    // A new time is another publish; unscheduling puts it back in the queue.
    const moved = ok(await service.publish(minh, id, 1, form({ published: "2026-03-03T09:00" })));
    expect(moved.article.firstPublishedAt?.toISOString()).toBe("2026-03-03T02:00:00.000Z");
    const back = ok(await service.unschedule(minh, id, 2));
    expect(back).toMatchObject({ state: "submitted", published: null });
    ok(await service.publish(minh, id, 2));
    now = new Date("2026-03-03T02:00:01Z");
    expect(ok(await service.get(minh, id)).state).toBe("published");
    expect(await service.unschedule(minh, id, 2)).toMatchObject({
      ok: false,
      failure: { kind: "state" },
    });
  });

  it("lists newsroom and file articles, by state and title, with paging", async () => {
    for (let i = 0; i < 3; i++) ok(await service.create(lan, form({ title: `Tin số ${i}` })));
    ok(await service.create(hoa, form({ title: "Tin của Hoa" })));
    const all = await service.list(minh, { perPage: 2 });
    expect(all.total).toBe(5);
    expect(all.items).toHaveLength(2);
    const last = await service.list(minh, { perPage: 2, page: 3 });
    expect(last.items).toEqual([
      expect.objectContaining({ origin: "file", readOnly: true, slug: "tu-file" }),
    ]);
    const mine = await service.list(lan, {});
    expect(mine.items.filter((i) => i.origin === "newsroom")).toHaveLength(3);
    const search = await service.list(minh, { q: "TIN SỐ" });
    expect(search.total).toBe(3);
    const drafts = await service.list(minh, { state: "draft" });
    expect(drafts.items.every((i) => i.origin === "newsroom")).toBe(true);
  });
});
