/**
 * The fast path (`src/web/fast-path.ts`) answers the index, article pages and
 * feeds straight from Node. A reader must not be able to tell it from the Hono
 * routes: the same bytes, validators and headers, the same 304s; and every
 * request it does not own reaches the Hono app untouched.
 */

import { rm } from "node:fs/promises";
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  request,
  type Server,
} from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, createListener } from "../../src/app.ts";
import { systemClock } from "../../src/clock.ts";
import { loadConfig } from "../../src/config.ts";
import { openContent } from "../../src/content/source.ts";
import type { ContentSource } from "../../src/content/types.ts";
import { createHealth } from "../../src/operations/health.ts";
import type { Params } from "../../src/path-templates.ts";
import { NO_CONVERSATIONS } from "../../src/read-models/conversations.ts";
import { createUrls } from "../../src/urls.ts";
import { fastLookup, withFastPath } from "../../src/web/fast-path.ts";
import type { RenderedRoute } from "../../src/web/routes.ts";
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
  return {
    config,
    urls: createUrls(config.origin),
    content,
    clock: systemClock,
    health: createHealth({ checks: {} }),
    observeRequest: () => {},
    conversations: NO_CONVERSATIONS,
  };
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

const PER_REQUEST = ["date", "x-request-id", "connection", "keep-alive"];

/** Headers a reader can compare: all but the per-request and per-connection ones. */
function comparable(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) if (!PER_REQUEST.includes(name)) out[name] = value;
  return out;
}

/** A GET as sent, its body as received (fetch would undo the gzip). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Headers; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const h = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (typeof value === "string") h.set(name, value);
        }
        resolve({ status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks) });
      });
    })
      .on("error", reject)
      .end();
  });
}

describe("the fast path", () => {
  it("answers with the Hono routes' bytes and headers, and their 304s", async () => {
    const base = await listen(createListener(deps()));
    // The Hono app alone, from the same rendered resources.
    const app = createApp({ ...deps(), resources: createSiteResources(deps()) });
    const paths = [
      "/",
      "/rss.xml",
      "/atom.xml",
      "/feed.json",
      `/articles/${SLUG}`,
      "/tags/Bi%E1%BB%83n",
      "/tags/bi%E1%BB%83n",
      "/tags/Bi%E1%BB%83n/rss.xml",
      "/tags/Bi%E1%BB%83n/atom.xml",
      "/tags/Bi%E1%BB%83n/feed.json",
      "/archives/2021/03/rss.xml",
      "/archives/2021/03/atom.xml",
      "/archives/2021/03/feed.json",
    ];
    for (const encoding of ["identity", "gzip, deflate, br"]) {
      for (const path of paths) {
        const what = `${path} (${encoding})`;
        const ask = { "Accept-Encoding": encoding };
        const fast = await rawGet(`${base}${path}`, ask);
        const hono = await app.request(`${ORIGIN}${path}`, { headers: ask });
        expect(fast.status, what).toBe(200);
        expect(fast.body, what).toEqual(Buffer.from(await hono.arrayBuffer()));
        const honoHeaders = comparable(hono.headers);
        honoHeaders["content-length"] ??= fast.headers.get("content-length") ?? "";
        expect(comparable(fast.headers), what).toEqual(honoHeaders);
        expect(fast.headers.get("x-request-id"), what).toMatch(/^[0-9a-f-]{36}$/);

        const etag = fast.headers.get("etag") ?? "";
        const byEtag = await rawGet(`${base}${path}`, { ...ask, "If-None-Match": etag });
        expect(byEtag.status, what).toBe(304);
        expect(byEtag.body.byteLength).toBe(0);
        const lastModified = fast.headers.get("last-modified") ?? "";
        const byDate = await rawGet(`${base}${path}`, {
          ...ask,
          "If-Modified-Since": lastModified,
        });
        expect(byDate.status, what).toBe(304);
        const stale = await rawGet(`${base}${path}`, { ...ask, "If-None-Match": '"old"' });
        expect(stale.status, what).toBe(200);
      }
    }
  });

  it("sends gzip to clients that accept it, with its own ETag and Vary", async () => {
    const base = await listen(createListener(deps()));
    for (const path of ["/", "/rss.xml", `/articles/${SLUG}`]) {
      const plain = await rawGet(`${base}${path}`, {});
      const zipped = await rawGet(`${base}${path}`, { "Accept-Encoding": "br, gzip;q=0.8" });
      expect(plain.headers.get("content-encoding"), path).toBeNull();
      expect(zipped.headers.get("content-encoding"), path).toBe("gzip");
      expect(gunzipSync(zipped.body), path).toEqual(plain.body);
      expect(zipped.body.byteLength).toBeLessThan(plain.body.byteLength);
      expect(zipped.headers.get("vary"), path).toMatch(/Accept-Encoding/);
      expect(plain.headers.get("vary"), path).toMatch(/Accept-Encoding/);
      const gzipTag = zipped.headers.get("etag") ?? "";
      expect(gzipTag).not.toBe(plain.headers.get("etag"));
      // The gzip ETag validates the gzip bytes only.
      const again = { "Accept-Encoding": "gzip", "If-None-Match": gzipTag };
      expect((await rawGet(`${base}${path}`, again)).status, path).toBe(304);
      const otherBytes = { "Accept-Encoding": "identity", "If-None-Match": gzipTag };
      expect((await rawGet(`${base}${path}`, otherBytes)).status, path).toBe(200);
      const refused = await rawGet(`${base}${path}`, { "Accept-Encoding": "gzip;q=0, *" });
      expect(refused.headers.get("content-encoding"), path).toBeNull();
    }
  });

  it("answers HEAD with the GET's length and no body, and keeps a proxy's request id", async () => {
    const base = await listen(createListener(deps()));
    const get = await rawGet(`${base}/rss.xml`, { "Accept-Encoding": "gzip" });
    const length = get.body.byteLength;
    const head = await fetch(`${base}/rss.xml`, {
      method: "HEAD",
      headers: { "X-Request-Id": "proxy-42", "Accept-Encoding": "gzip" },
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
      withFastPath(
        createSiteResources(deps()),
        (req, res) => {
          seen.push(`${req.method} ${req.url}`);
          res.writeHead(418).end();
        },
        () => {},
      ),
    );
    const asks: [string, string, Record<string, string>?][] = [
      ["GET", "/?page=2"],
      ["GET", "/?utm_source=x"],
      ["GET", `/articles/${SLUG}`, { Accept: AS2 }],
      ["GET", "/articles/khong-co"],
      ["GET", "/articles/Tin-Moi"],
      ["GET", "/rss.xml/"],
      ["GET", "/tags/bi%E1%BB%83n?page=1"],
      ["GET", "/tags/a%2Fb"],
      ["GET", "/tags/a%25E1"],
      ["GET", "/tags/%E1%BB"],
      ["GET", "/tags"],
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

  it("matches every URL by itself, however many others strangers ask for first", () => {
    const asked: Params[] = [];
    const route: RenderedRoute = {
      kind: "rendered",
      path: "/articles/{slug}",
      fast: true,
      render: (_site, params) => {
        asked.push(params);
        return null;
      },
    };
    const lookup = fastLookup([route]);
    const site = createSiteResources(deps());
    const get = (url: string) =>
      lookup(site, { method: "GET", url, headers: {} } as IncomingMessage);
    // More distinct URLs than the lookup keeps, each asked twice, and one too long to keep.
    const slugs = [...Array.from({ length: 3_000 }, (_, i) => `bai-${i}`), "d".repeat(400)];
    for (const slug of [...slugs, ...slugs]) expect(get(`/articles/${slug}`)).toBeNull();
    expect(asked.map((p) => p.slug)).toEqual([...slugs, ...slugs]);
    // The parameters a later request is handed cannot be changed by an earlier one.
    for (const params of asked) expect(Object.isFrozen(params)).toBe(true);
    expect(get("/articles/bai-1/")).toBeNull();
    expect(asked).toHaveLength(slugs.length * 2);
  });
});
