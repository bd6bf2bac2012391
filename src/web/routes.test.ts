import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { createHealth } from "../operations/health.ts";
import { honoPattern } from "../path-templates.ts";
import { NO_CONVERSATIONS } from "../read-models/conversations.ts";
import { PATHS } from "../urls.ts";
import type { Rendered } from "./conditional.ts";
import { fastLookup } from "./fast-path.ts";
import {
  isSiteRequest,
  readOnlyRoutes,
  SITE_ROUTES,
  type SiteRoute,
  siteRequestCheck,
} from "./routes.ts";
import type { SiteResources } from "./site-resources.ts";
import { siteRoutes } from "./site-routes.ts";

/** Resources whose every answer names the call that made it, so a test sees which route answered. */
function namingResources(): SiteResources {
  const named = (name: string) => ({ etag: name }) as unknown as Rendered;
  return {
    index: (page) => named(`index:${page}`),
    tag: (tag, page) => named(`tag:${tag}:${page}`),
    article: (slug) => named(`article:${slug}`),
    feed: (kind) => named(`feed:${kind}`),
    tags: () => named("tags"),
    tagFeed: (kind, tag) => named(`tag-feed:${kind}:${tag}`),
    archive: (kind, year, month) => named(`archive:${kind}:${year}-${month}`),
    opml: () => named("opml"),
    topics: () => [],
    topic: (url) => named(`topic:${url}`),
    sitemap: () => named("sitemap"),
    robots: () => named("robots"),
    prepare: async () => {},
  };
}

const request = (url: string, accept?: string) =>
  ({ method: "GET", url, headers: accept ? { accept } : {} }) as unknown as IncomingMessage;

describe("the route table", () => {
  it("spells every path with a template from urls.ts", () => {
    const templates = new Set<string>(Object.values(PATHS));
    for (const route of SITE_ROUTES) expect(templates).toContain(route.path);
  });

  it("is what the fast path answers, and nothing else", () => {
    const lookup = fastLookup();
    const site = namingResources();
    const answered = (url: string, accept?: string) =>
      lookup(site, request(url, accept))?.rendered.etag;
    expect(answered("/")).toBe("index:1");
    expect(answered("/rss.xml")).toBe("feed:rss");
    expect(answered("/atom.xml")).toBe("feed:atom");
    expect(answered("/feed.json")).toBe("feed:json");
    expect(answered("/articles/tin-moi")).toBe("article:tin-moi");
    // Negotiated: the Note is Fedify's.
    expect(answered("/articles/tin-moi", "application/activity+json")).toBeUndefined();
    expect(answered("/tags/Du%20l%E1%BB%8Bch")).toBe("tag:Du lịch:1");
    expect(answered("/tags/Du%20l%E1%BB%8Bch/atom.xml")).toBe("tag-feed:atom:Du lịch");
    expect(answered("/archives/2021/03/rss.xml")).toBe("archive:rss:2021-03");
    // Escapes of UTF-8 and spaces decode as Hono decodes them.
    expect(answered("/articles/c%E1%BB%ADa")).toBe("article:cửa");
    // Queries, other escapes and routes not marked fast go to Hono.
    expect(answered("/?page=2")).toBeUndefined();
    expect(answered("/articles/a%2Fb")).toBeUndefined();
    expect(answered("/articles/a%25b")).toBeUndefined();
    expect(answered("/articles/%E1%BB")).toBeUndefined();
    expect(answered("/sitemap.xml")).toBeUndefined();

    // A row added to the table is served by the fast path with no other change.
    const extra: SiteRoute = {
      kind: "rendered",
      path: "/extra/{name}.txt",
      render: (_s, p) => ({ etag: `extra:${p.name}` }) as unknown as Rendered,
      fast: true,
    };
    const withExtra = fastLookup([...SITE_ROUTES, extra]);
    expect(withExtra(site, request("/extra/abc.txt"))).toMatchObject({
      route: "/extra/:name.txt",
      rendered: { etag: "extra:abc" },
    });
  });

  it("is what the Hono site routes answer, 405s included", async () => {
    const extra: SiteRoute = {
      kind: "rendered",
      path: "/extra/{name}",
      render: () => null,
    };
    const app = siteRoutes(
      {
        config: { feedLimit: 10, pageSize: 10, contentDir: "/nonexistent" },
        urls: {} as never,
        content: {} as never,
        clock: () => new Date(0),
        resources: namingResources(),
        health: createHealth({ checks: {} }),
        conversations: NO_CONVERSATIONS,
      },
      [...SITE_ROUTES, extra],
    );
    const patterns = new Set(app.routes.map((r) => `${r.method} ${r.path}`));
    for (const route of SITE_ROUTES) expect(patterns).toContain(`GET ${honoPattern(route.path)}`);
    for (const route of readOnlyRoutes()) {
      expect(patterns).toContain(`POST ${honoPattern(route.path)}`);
    }
    expect(patterns).toContain("GET /extra/:name");
    expect((await app.request("/extra/x")).status).toBe(404);
    const res = await app.request("/extra/x", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });

  it("decides which requests skip Fedify", () => {
    expect(isSiteRequest("GET", "/", undefined)).toBe(true);
    expect(isSiteRequest("HEAD", "/rss.xml", undefined)).toBe(true);
    expect(isSiteRequest("GET", "/tags/Biển", undefined)).toBe(true);
    expect(isSiteRequest("GET", "/media/a/b.jpg", undefined)).toBe(true);
    expect(isSiteRequest("GET", "/articles/x", "text/html")).toBe(true);
    expect(isSiteRequest("GET", "/articles/x", "application/activity+json")).toBe(false);
    expect(isSiteRequest("GET", "/users/cualo", "text/html")).toBe(false);
    expect(isSiteRequest("POST", "/rss.xml", undefined)).toBe(false);
    expect(isSiteRequest("GET", "/.well-known/webfinger", undefined)).toBe(false);
    const check = siteRequestCheck([{ kind: "media", path: "/files/{+path}" }]);
    expect(check("GET", "/files/x/y.png", undefined)).toBe(true);
    expect(check("GET", "/", undefined)).toBe(false);
  });
});
