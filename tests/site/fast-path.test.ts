/**
 * The fast path (`src/web/fast-path.ts`) answers the index, article pages and
 * feeds straight from Node. A reader must not be able to tell it from the Hono
 * routes: the same bytes, validators and headers, the same 304s; and every
 * request it does not own reaches the Hono app untouched.
 */

import { rm } from "node:fs/promises";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, createListener } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { openContent } from "../../src/content/source.ts";
import type { ContentSource } from "../../src/content/types.ts";
import { createUrls } from "../../src/urls.ts";
import { withFastPath } from "../../src/web/fast-path.ts";
import { createSiteResources } from "../../src/web/site-resources.ts";
import { AS2, writeArticle } from "../federation/e2e.ts";
import { makeContent } from "../hardening/helpers.ts";

const ORIGIN = "https://tin.example.vn";
const SLUG = "tin-moi";
let dir: string;
let content: ContentSource;
const servers: Server[] = [];

async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function deps() {
  const config = loadConfig({ ORIGIN, CONTENT_DIR: dir });
  return { config, urls: createUrls(config.origin), content };
}

beforeAll(async () => {
  dir = await makeContent("loa-fast-path-");
  await writeArticle(dir, SLUG, [
    "title: Tin mới về Cửa Lò",
    "published: 2021-03-18T15:00:00+07:00",
    "tags: [Biển]",
  ]);
  content = await openContent(dir, { watch: false });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await content.close();
  await rm(dir, { recursive: true, force: true });
});

/** Headers a reader can compare: all but the per-request and per-connection ones. */
function comparable(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (!["date", "x-request-id", "connection", "keep-alive"].includes(name)) out[name] = value;
  }
  return out;
}

describe("the fast path", () => {
  it("answers with the Hono routes' bytes and headers, and their 304s", async () => {
    const base = await listen(createListener(deps()));
    // The Hono app alone, from the same rendered resources.
    const app = createApp({ ...deps(), resources: createSiteResources(deps()) });
    for (const path of ["/", "/rss.xml", "/atom.xml", "/feed.json", `/articles/${SLUG}`]) {
      const fast = await fetch(`${base}${path}`);
      const hono = await app.request(`${ORIGIN}${path}`);
      expect(fast.status, path).toBe(200);
      expect(Buffer.from(await fast.arrayBuffer())).toEqual(Buffer.from(await hono.arrayBuffer()));
      const honoHeaders = comparable(hono.headers);
      honoHeaders["content-length"] ??= fast.headers.get("content-length") ?? "";
      expect(comparable(fast.headers), path).toEqual(honoHeaders);
      expect(fast.headers.get("x-request-id"), path).toMatch(/^[0-9a-f-]{36}$/);

      const etag = fast.headers.get("etag") ?? "";
      const byEtag = await fetch(`${base}${path}`, { headers: { "If-None-Match": etag } });
      expect(byEtag.status, path).toBe(304);
      expect(await byEtag.text()).toBe("");
      const lastModified = fast.headers.get("last-modified") ?? "";
      const byDate = await fetch(`${base}${path}`, {
        headers: { "If-Modified-Since": lastModified },
      });
      expect(byDate.status, path).toBe(304);
      const stale = await fetch(`${base}${path}`, { headers: { "If-None-Match": '"old"' } });
      expect(stale.status, path).toBe(200);
    }
  });

  it("answers HEAD with the GET's length and no body, and keeps a proxy's request id", async () => {
    const base = await listen(createListener(deps()));
    const get = await fetch(`${base}/rss.xml`);
    const length = (await get.arrayBuffer()).byteLength;
    const head = await fetch(`${base}/rss.xml`, {
      method: "HEAD",
      headers: { "X-Request-Id": "proxy-42" },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(length));
    expect(head.headers.get("x-request-id")).toBe("proxy-42");
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const odd = await fetch(`${base}/`, { headers: { "X-Request-Id": "<script>" } });
    expect(odd.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("hands everything else to the app: other methods, queries, AS2, unknown pages", async () => {
    const seen: string[] = [];
    const base = await listen(
      withFastPath(createSiteResources(deps()), (req, res) => {
        seen.push(`${req.method} ${req.url}`);
        res.writeHead(418).end();
      }),
    );
    const asks: [string, string, Record<string, string>?][] = [
      ["GET", "/?page=2"],
      ["GET", "/?utm_source=x"],
      ["GET", `/articles/${SLUG}`, { Accept: AS2 }],
      ["GET", "/articles/khong-co"],
      ["GET", "/articles/Tin-Moi"],
      ["GET", "/rss.xml/"],
      ["GET", "/tags/bi%E1%BB%83n"],
      ["GET", "/users/cualo"],
      ["POST", "/"],
      ["DELETE", `/articles/${SLUG}`],
    ];
    for (const [method, path, headers] of asks) {
      const res = await fetch(`${base}${path}`, { method, headers });
      expect(res.status, `${method} ${path}`).toBe(418);
    }
    expect(seen).toEqual(asks.map(([method, path]) => `${method} ${path}`));
    // And what it owns never reaches the app.
    expect((await fetch(`${base}/articles/${SLUG}`)).status).toBe(200);
    expect(seen).toHaveLength(asks.length);
  });
});
