import { describe, expect, it } from "vitest";
import { createUrls } from "./urls.ts";

const urls = createUrls(new URL("https://cualo.example/ignored/path"));

describe("the portal feeds' URLs", () => {
  it("put each month's archive under /archives/{yyyy}/{mm}/", () => {
    expect(urls.archive("rss", "2021-03")).toBe("https://cualo.example/archives/2021/03/rss.xml");
    expect(urls.archive("atom", "2021-03")).toBe("https://cualo.example/archives/2021/03/atom.xml");
    expect(urls.archive("json", "2021-12")).toBe(
      "https://cualo.example/archives/2021/12/feed.json",
    );
  });

  it("refuse a month that is not yyyy-mm", () => {
    for (const month of ["2021-3", "2021-13", "2021/03", "../x", ""]) {
      expect(() => urls.archive("rss", month), month).toThrow(/2021-03/);
    }
  });

  it("put a tag's feeds under its page, percent-encoded as the page is", () => {
    expect(urls.tagFeed("rss", "Hội nghị")).toBe(`${urls.tag("Hội nghị")}/rss.xml`);
    expect(urls.tagFeed("atom", "a/b?c")).toBe("https://cualo.example/tags/a%2Fb%3Fc/atom.xml");
    expect(urls.tagFeed("json", "Du lịch")).toBe(
      "https://cualo.example/tags/Du%20l%E1%BB%8Bch/feed.json",
    );
  });

  it("name the tags page, the OPML list and the hub", () => {
    expect(urls.tags()).toBe("https://cualo.example/tags");
    expect(urls.opml()).toBe("https://cualo.example/feeds.opml");
    expect(urls.hub()).toBe("https://cualo.example/websub");
  });
});
