import { describe, expect, it } from "vitest";
import { fixtureSite, seedArticle } from "../../tests/fixtures/articles.ts";
import type { Article } from "../content/types.ts";
import { featuredTagNames, pinnedArticles } from "./featured.ts";

function article(slug: string, day: number, extra: Partial<Article> = {}): Article {
  return { ...seedArticle, slug, published: new Date(Date.UTC(2026, 4, day)), ...extra };
}

describe("pinnedArticles", () => {
  it("lists only the pinned ones, newest first", () => {
    const list = [
      article("old", 1, { pinned: true }),
      article("plain", 3),
      article("new", 2, { pinned: true }),
    ];
    expect(pinnedArticles(list).map((a) => a.slug)).toEqual(["new", "old"]);
  });
});

describe("featuredTagNames", () => {
  // Newest first, as `content.published()` lists them: the newest spelling wins.
  const list = [
    article("c", 3, { tags: ["cửa lò", "Đường", "Ẩm thực", "An ninh", "Giáo dục"] }),
    article("b", 2, { tags: ["Cửa Lò", "Biển"] }),
    article("a", 1, { tags: ["Du lịch", "Cửa Lò", "Biển"] }),
  ];

  it("takes the most used tags, ties in Vietnamese order, five at most", () => {
    expect(featuredTagNames(fixtureSite, list)).toEqual([
      "cửa lò",
      "Biển",
      "An ninh",
      "Ẩm thực",
      "Du lịch",
    ]);
  });

  it("takes site.yml's list when there is one", () => {
    const site = { ...fixtureSite, actor: { ...fixtureSite.actor, featuredTags: ["Biển"] } };
    expect(featuredTagNames(site, list)).toEqual(["Biển"]);
  });
});
