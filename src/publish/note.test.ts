import { describe, expect, it } from "vitest";
import { escapeHtml } from "../text/escape.ts";
import { hashtagName } from "./note.ts";

describe("hashtagName", () => {
  it("joins words without spaces, keeping Vietnamese letters", () => {
    expect(hashtagName("cải cách hành chính")).toBe("CảiCáchHànhChính");
    expect(hashtagName("Du lịch, biển")).toBe("DuLịchBiển");
  });

  it("spells out # and + after a word instead of dropping them (C# is not C)", () => {
    expect(hashtagName("C#")).toBe("CSharp");
    expect(hashtagName("C++")).toBe("CPlusPlus");
    expect(hashtagName("lập trình C#")).toBe("LậpTrìnhCSharp");
    expect(hashtagName("#Cửa Lò")).toBe("CửaLò");
    expect(hashtagName("C#")).not.toBe(hashtagName("C"));
  });

  it("gives nothing for a tag with no letters or digits", () => {
    expect(hashtagName(" - ")).toBe("");
  });
});

describe("escapeHtml", () => {
  it("escapes markup and quotes", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
  });
});
