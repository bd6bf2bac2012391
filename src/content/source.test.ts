import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  articleText,
  makeContentDir,
  type TempContent,
} from "../../tests/fixtures/content/make-dir.ts";
import { openContent } from "./source.ts";
import type { ContentSource } from "./types.ts";

let content: TempContent | undefined;
let source: ContentSource | undefined;
afterEach(async () => {
  await source?.close();
  await content?.cleanup();
  source = undefined;
  content = undefined;
});

const article = (title: string, published = "2021-03-18T15:00:00+07:00") =>
  articleText([`title: ${title}`, `published: ${published}`]);

/** Polls until `check` passes or the contract's 10 s are up. */
async function eventually(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("did not happen within the deadline");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("openContent", () => {
  it("sees an added, edited and removed article without a restart", async () => {
    content = await makeContentDir({ "articles/mot.md": article("Một") });
    const s = await openContent(content.dir, { debounceMs: 50, pollMs: 500 });
    source = s;
    const seen: string[][] = [];
    s.onChange((snap) => seen.push(snap.articles.map((a) => a.title)));
    const titles = () => s.published().map((a) => a.title);
    expect(titles()).toEqual(["Một"]);

    await content.write("articles/hai.md", article("Hai", "2021-03-19T15:00:00+07:00"));
    await eventually(() => titles().includes("Hai"));

    const before = s.version;
    await content.write("articles/hai.md", article("Hai (sửa)", "2021-03-19T15:00:00+07:00"));
    await eventually(() => titles().includes("Hai (sửa)"));
    expect(s.version).toBeGreaterThan(before);

    await rm(join(content.dir, "articles", "mot.md"));
    await eventually(() => !titles().includes("Một"));
    expect(titles()).toEqual(["Hai (sửa)"]);
    expect(seen.at(-1)).toEqual(["Hai (sửa)"]);
  });

  it("keeps the last good snapshot when site.yml breaks, and recovers", async () => {
    content = await makeContentDir({ "articles/mot.md": article("Một") });
    const s = await openContent(content.dir, { watch: false });
    source = s;
    const site = await readFile(join(content.dir, "site.yml"), "utf8");
    await content.write("site.yml", "title: [");
    await expect(s.reload()).rejects.toThrow(/site\.yml/);
    expect(s.current().articles.map((a) => a.title)).toEqual(["Một"]);
    await writeFile(join(content.dir, "site.yml"), site);
    await content.write("articles/hai.md", article("Hai"));
    expect((await s.reload()).articles).toHaveLength(2);
  });

  it("holds back a future-dated article and announces it when its time comes", async () => {
    content = await makeContentDir({ "articles/cu.md": article("Cũ") });
    const soon = new Date(Date.now() + 1500);
    await content.write("articles/sap.md", article("Sắp đăng", soon.toISOString()));
    const s = await openContent(content.dir, { watch: false });
    source = s;
    expect(s.current().articles.map((a) => a.title)).toContain("Sắp đăng");
    expect(s.published().map((a) => a.title)).toEqual(["Cũ"]);
    const version = s.version;
    let announced: string[] | undefined;
    s.onChange(() => {
      announced = s.published().map((a) => a.title);
    });
    await eventually(() => announced !== undefined);
    expect(announced).toEqual(["Sắp đăng", "Cũ"]);
    expect(s.version).toBeGreaterThan(version);
  });

  it("announces an article whose time came during a reload", async () => {
    let now = new Date("2026-05-01T08:00:00Z").getTime();
    content = await makeContentDir({
      "articles/cu.md": article("Cũ", "2026-04-30T08:00:00Z"),
      "articles/sap.md": article("Sắp đăng", "2026-05-01T08:00:01Z"),
    });
    const s = await openContent(content.dir, { watch: false, clock: () => new Date(now) });
    source = s;
    const version = s.version;
    const announced: string[][] = [];
    s.onChange(() => {
      announced.push(s.published().map((a) => a.title));
    });
    // The article's second passes while nothing fires (the real timer is far
    // off in wall time); a reload of unchanged content must still announce it.
    now += 5_000;
    await s.reload();
    expect(announced).toEqual([["Sắp đăng", "Cũ"]]);
    expect(s.version).toBe(version + 1);
  });

  it("judges 'published' by the injected clock", async () => {
    content = await makeContentDir({
      "articles/a.md": article("A", "2021-03-18T15:00:00+07:00"),
      "articles/b.md": article("B", "2030-01-01T00:00:00+07:00"),
    });
    const s = await openContent(content.dir, {
      watch: false,
      clock: () => new Date("2025-01-01T00:00:00Z"),
    });
    source = s;
    expect(s.published().map((a) => a.title)).toEqual(["A"]);
    expect(s.published(new Date("2030-01-01T00:00:00+07:00")).map((a) => a.title)).toEqual([
      "B",
      "A",
    ]);
  });
});
