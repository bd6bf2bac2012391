import { MemoryKvStore } from "@fedify/fedify";
import { describe, expect, it } from "vitest";
import type { LedgerEntry } from "../storage/store.ts";
import { createUrls } from "../urls.ts";
import {
  beginPublication,
  currentNoteId,
  readNoteHistory,
  readSent,
  recordSent,
  requestedNoteId,
} from "./note-history.ts";

const urls = createUrls(new URL("https://cualo.example"));
const article = "https://cualo.example/articles/a";

function create(version: number): LedgerEntry {
  return {
    slug: "a",
    file: "articles/a.md",
    hash: "h",
    action: "create",
    activityId: urls.activity("a", "create", version),
    version,
    published: new Date("2026-05-01T00:00:00Z"),
    updated: null,
    queuedAt: null,
  };
}

describe("an article's publications", () => {
  it("keep the article's URL as the first Note id, without writing anything", async () => {
    const kv = new MemoryKvStore();
    const history = await beginPublication(kv, urls, create(1), new Date());
    expect(currentNoteId(urls, "a", history)).toBe(article);
    const written = [];
    for await (const entry of kv.list(["loa"])) written.push(entry);
    expect(written).toEqual([]);
  });

  it("give a Create after a Delete a new id and retire the old one with its deletion time", async () => {
    const kv = new MemoryKvStore();
    const deleted = new Date("2026-05-02T00:00:00Z");
    const history = await beginPublication(kv, urls, create(3), deleted);
    expect(currentNoteId(urls, "a", history)).toBe(`${article}?v=3`);
    expect(history.retired).toEqual([{ id: article, deleted: deleted.toISOString() }]);
    // Resent after a crash: the publication has begun already.
    expect(await beginPublication(kv, urls, create(3), new Date())).toEqual(history);
    const later = await beginPublication(kv, urls, create(6), new Date("2026-05-03T00:00:00Z"));
    expect(currentNoteId(urls, "a", later)).toBe(`${article}?v=6`);
    expect(later.retired.map((r) => r.id)).toEqual([article, `${article}?v=3`]);
    expect(await readNoteHistory(kv, "a")).toEqual(later);
  });

  it("remember what each activity id stood for", async () => {
    const kv = new MemoryKvStore();
    const entry = {
      ...create(2),
      action: "update" as const,
      updated: new Date("2026-05-04T00:00:00Z"),
    };
    entry.activityId = urls.activity("a", "update", 2);
    await recordSent(kv, entry, article);
    expect(await readSent(kv, entry.activityId)).toEqual({
      action: "update",
      slug: "a",
      noteId: article,
      at: "2026-05-04T00:00:00.000Z",
    });
    expect(await readSent(kv, urls.activity("a", "update", 3))).toBeNull();
  });
});

describe("requestedNoteId", () => {
  it("reads ?v= as the publication and ignores other parameters", () => {
    const at = (query: string) => requestedNoteId(urls, "a", new URL(`${article}${query}`));
    expect(at("")).toBe(article);
    expect(at("?utm_source=x")).toBe(article);
    expect(at("?v=3")).toBe(`${article}?v=3`);
    expect(at("?v=1")).toBe(article);
    expect([at("?v=x"), at("?v=03"), at("?v=")]).not.toContain(article);
    expect(at("?v=x")).not.toBe(`${article}?v=3`);
  });
});
