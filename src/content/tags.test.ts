import { describe, expect, it } from "vitest";
import { fixtureArticles, noticeArticle } from "../../tests/fixtures/articles.ts";
import { countTags, sortTags, tagKey } from "./tags.ts";
import type { Article } from "./types.ts";

const tagged = (slug: string, tags: string[]): Article => ({ ...noticeArticle, slug, tags });

describe("countTags", () => {
  it("counts the published articles of each tag", () => {
    expect(countTags(fixtureArticles)).toEqual([
      { name: "Cải cách hành chính", count: 1 },
      { name: "Du lịch", count: 1 },
      { name: "Hội nghị", count: 1 },
    ]);
    expect(countTags([])).toEqual([]);
  });

  it("takes two cases of one tag for one tag, spelled as the newest article spells it", () => {
    const articles = [
      tagged("moi", ["Du Lịch"]),
      tagged("cu", ["du lịch", "DU LỊCH"]),
      tagged("cu-hon", ["Du lịch"]),
    ];
    expect(countTags(articles)).toEqual([{ name: "Du Lịch", count: 3 }]);
    expect(tagKey("Đô Thị")).toBe(tagKey("đô thị"));
  });

  it("sorts by name in Vietnamese order, not by code point", () => {
    const articles = [
      tagged("a", ["Giáo dục", "Ấn phẩm", "Bầu cử"]),
      tagged("b", ["Đô thị", "An ninh"]),
    ];
    // By code point "Ấ" (U+1EA4) and "Đ" (U+0110) would come after "G".
    expect(countTags(articles).map((t) => t.name)).toEqual([
      "An ninh",
      "Ấn phẩm",
      "Bầu cử",
      "Đô thị",
      "Giáo dục",
    ]);
  });

  it("leaves out empty tags", () => {
    expect(countTags([tagged("a", ["", "  ", "Y tế"])])).toEqual([{ name: "Y tế", count: 1 }]);
  });
});

describe("tagKey", () => {
  it("folds case as Vietnamese does, for every code point and for whole words", () => {
    const differs: string[] = [];
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const s = String.fromCodePoint(c);
      if (tagKey(s) !== s.toLocaleLowerCase("vi")) differs.push(c.toString(16));
    }
    expect(differs).toEqual([]);
    for (const word of ["CỬA LÒ", "Đường Bình Minh", "ƯỚC MƠ", "ΣΑΣ"]) {
      expect(tagKey(word)).toBe(word.toLocaleLowerCase("vi"));
    }
  });
});

describe("sortTags", () => {
  it("gives one order whatever the input order, also for names that collate equal", () => {
    // The same text in two Unicode forms collates equal; the code points break the tie.
    const names = ["Y tế", "Y tế".normalize("NFD"), "Đô thị", "do thi"].map((name) => ({ name }));
    expect(names[0]?.name.localeCompare(names[1]?.name ?? "", "vi")).toBe(0);
    const sorted = sortTags(names).map((t) => t.name);
    expect(sortTags([...names].reverse()).map((t) => t.name)).toEqual(sorted);
    expect(sorted.indexOf("Đô thị")).toBeLessThan(sorted.indexOf("Y tế"));
  });
});
