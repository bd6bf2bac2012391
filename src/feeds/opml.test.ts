import { describe, expect, it } from "vitest";
// `feed`'s own XML library (installed with it): a strict parser, so a
// malformed document fails the test instead of being read leniently.
import { type Element, xml2js } from "xml-js";
import { fixtureSite } from "../../tests/fixtures/articles.ts";
import { createUrls } from "../urls.ts";
import { OPML_CONTENT_TYPE, renderOpml } from "./opml.ts";

const urls = createUrls(new URL("https://cualo.example"));
const site = fixtureSite;

function parse(xml: string): Element {
  const doc = xml2js(xml, { compact: false }) as Element;
  const root = doc.elements?.find((e) => e.type === "element");
  if (!root) throw new Error("no root element");
  return root;
}

const children = (el: Element | undefined, name?: string) =>
  (el?.elements ?? []).filter(
    (e) => e.type === "element" && (name === undefined || e.name === name),
  );

const text = (el: Element | undefined) =>
  (el?.elements ?? []).map((e) => (e.type === "text" ? String(e.text) : "")).join("");

describe("/feeds.opml", () => {
  const tags = [
    { name: "Đô thị", count: 3 },
    { name: "Du lịch", count: 5 },
    { name: 'C&D <x> "q"', count: 1 },
    { name: "Bỏ trống", count: 0 },
  ];
  const opml = renderOpml({ site, urls, tags });
  const root = parse(opml);
  const body = children(root, "body")[0];
  const folders = children(body, "outline");

  it("is OPML 2.0 in UTF-8 with the site's name as title and owner", () => {
    expect(opml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(root.name).toBe("opml");
    expect(root.attributes?.version).toBe("2.0");
    const head = children(root, "head")[0];
    expect(text(children(head, "title")[0])).toBe(site.title);
    expect(text(children(head, "ownerName")[0])).toBe(site.actor.name);
    expect(children(head, "dateCreated")).toHaveLength(0);
    expect(OPML_CONTENT_TYPE).toBe("text/x-opml; charset=utf-8");
  });

  it("lists the site's three feeds, then each tag's three, tags in Vietnamese order", () => {
    expect(folders.map((f) => f.attributes?.text)).toEqual([
      site.title,
      `${site.title} — C&D <x> "q"`,
      `${site.title} — Du lịch`,
      `${site.title} — Đô thị`,
    ]);
    const feeds = folders.map((folder) =>
      children(folder, "outline").map((o) => ({ ...o.attributes })),
    );
    expect(feeds[0]).toEqual([
      expect.objectContaining({
        type: "rss",
        text: `${site.title} (RSS)`,
        title: `${site.title} (RSS)`,
        xmlUrl: "https://cualo.example/rss.xml",
        htmlUrl: "https://cualo.example/",
        version: "RSS2",
      }),
      expect.objectContaining({ type: "rss", xmlUrl: "https://cualo.example/atom.xml" }),
      expect.objectContaining({ type: "rss", xmlUrl: "https://cualo.example/feed.json" }),
    ]);
    expect(feeds[2]?.map((o) => o.xmlUrl)).toEqual([
      urls.tagFeed("rss", "Du lịch"),
      urls.tagFeed("atom", "Du lịch"),
      urls.tagFeed("json", "Du lịch"),
    ]);
    expect(feeds[2]?.[0]).toMatchObject({
      text: `${site.title} — Du lịch (RSS)`,
      htmlUrl: urls.tag("Du lịch"),
    });
    for (const outline of feeds.flat()) {
      expect(outline.type).toBe("rss");
      expect(outline.text).toBeTruthy();
      expect(outline.xmlUrl).toMatch(/^https:\/\/cualo\.example\//);
    }
  });

  it("escapes markup in tag names and leaves out tags with no article", () => {
    expect(opml).toContain("C&amp;D &lt;x&gt; &quot;q&quot;");
    expect(opml).not.toContain("Bỏ trống");
    expect(folders[1] && children(folders[1], "outline")[0]?.attributes?.xmlUrl).toBe(
      urls.tagFeed("rss", 'C&D <x> "q"'),
    );
  });

  it("states dateCreated only when given one, and is otherwise the same on every call", () => {
    expect(renderOpml({ site, urls, tags })).toBe(opml);
    const dated = renderOpml({ site, urls, tags, dateCreated: new Date("2021-03-18T08:00:00Z") });
    const head = children(parse(dated), "head")[0];
    expect(text(children(head, "dateCreated")[0])).toBe("Thu, 18 Mar 2021 08:00:00 GMT");
  });

  it("with no tags lists the site's feeds alone", () => {
    const only = children(children(parse(renderOpml({ site, urls, tags: [] })), "body")[0]);
    expect(only).toHaveLength(1);
    expect(children(only[0], "outline")).toHaveLength(3);
  });
});
