import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { loadContent } from "./load.ts";

// A byte-identical copy of /work/shared/seed/cua-lo-cchc-2021-03-18.txt.
const SEED = "tests/fixtures/content/seed/cua-lo-cchc-2021-03-18.txt";
const SLUG = "cua-lo-cchc-2021-03-18";

describe("the seed article", () => {
  it("keeps every body paragraph byte for byte as in the seed", async () => {
    const seed = (await readFile(SEED)).toString("utf8");
    const blocks = seed.split("\n\n");
    // Title, "Đăng ngày …" (now `published`), four paragraphs, byline (now `author`).
    const paragraphs = blocks.slice(2, -1);
    expect(paragraphs).toHaveLength(4);

    const s = await loadContent("content");
    const article = s.articles.find((a) => a.slug === SLUG);
    expect(article?.title).toBe(blocks[0]);
    expect(article?.authors).toEqual([blocks.at(-1)?.replace(/^[\u00a0 ]+/, "")]);
    // The body as rendered: one <p> per paragraph (it has no Markdown or HTML specials).
    const body = [...(article?.html ?? "").matchAll(/<p>(.*?)<\/p>/gs)].map((m) => m[1] ?? "");
    expect(body).toHaveLength(paragraphs.length);
    body.forEach((p, i) => {
      expect(Buffer.from(p, "utf8").equals(Buffer.from(paragraphs[i] ?? "", "utf8"))).toBe(true);
    });
    expect(article?.html).toContain("thúc đấy");
    expect(article?.html).toContain("nganh");
  });
});
