import { describe, expect, it } from "vitest";
import { escapeHtml } from "../text/escape.ts";
import { hashtagName } from "./note.ts";

describe("hashtagName", () => {
  it("joins words without spaces, keeping Vietnamese letters", () => {
    expect(hashtagName("cải cách hành chính")).toBe("CảiCáchHànhChính");
    expect(hashtagName("Du lịch, biển")).toBe("DuLịchBiển");
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
