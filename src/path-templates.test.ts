import { describe, expect, it } from "vitest";
import { honoPattern, pathMatcher } from "./path-templates.ts";
import { PATHS } from "./urls.ts";

describe("path templates", () => {
  it("matches and decodes template parameters", () => {
    expect(pathMatcher(PATHS.article).match("/articles/c%E1%BB%ADa-l%C3%B2")).toEqual({
      slug: "cửa-lò",
    });
    expect(pathMatcher(PATHS.article).match("/articles/a/b")).toBeNull();
    expect(pathMatcher(PATHS.article).match("/articles/%E0")).toBeNull();
    expect(pathMatcher(PATHS.media).match("/media/a/b.jpg")).toEqual({ path: "a/b.jpg" });
    expect(honoPattern(PATHS.media)).toBe("/media/*");
    expect(honoPattern(PATHS.article)).toBe("/articles/:slug");
  });
});
