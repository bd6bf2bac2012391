import { describe, expect, it } from "vitest";
import { fixtureArticles, fixtureSite } from "../../tests/fixtures/articles.ts";
import type { ContentSource } from "../content/types.ts";
import { publishedView } from "./published-view.ts";

/** Only what the view reads: the version, the published articles and the site. */
function source(): ContentSource {
  return {
    version: 1,
    published: () => fixtureArticles,
    current: () => ({ site: fixtureSite }),
  } as unknown as ContentSource;
}

describe("the published view's tag lookups", () => {
  it("find a tag by any spelling, before and after strangers ask for thousands of others", () => {
    const view = publishedView(source(), () => new Date())();
    const tag = fixtureArticles.flatMap((a) => a.tags).find((t) => /[^\x20-\x7e]/.test(t)) ?? "";
    expect(tag).not.toBe("");
    const spellings = [tag, tag.toUpperCase(), tag.toLowerCase(), tag.normalize("NFD")];
    const expected = view.tagged(tag);
    expect(expected?.articles.length).toBeGreaterThan(0);
    for (let round = 0; round < 2; round++) {
      for (const spelling of spellings) expect(view.tagged(spelling), spelling).toBe(expected);
      for (let i = 0; i < 3_000; i++) expect(view.tagged(`khong-co-${i}`)).toBeUndefined();
      expect(view.tagged(`${tag}${"x".repeat(300)}`)).toBeUndefined();
    }
  });
});
