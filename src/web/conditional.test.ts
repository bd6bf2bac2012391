import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  acceptsGzip,
  headerListFor,
  headersFor,
  matchesValidators,
  rendered,
  respond,
} from "./conditional.ts";
import type { WebEnv } from "./header-policy.ts";

const page = rendered(
  "<p>Cửa Lò</p>",
  "text/html; charset=utf-8",
  new Date("2021-03-18T08:00:00.750Z"),
);
const app = new Hono<WebEnv>().get("/", (c) => respond(c, page));

describe("conditional responses", () => {
  it("sends validators with the full body", async () => {
    const res = await app.request("/");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("<p>Cửa Lò</p>");
    expect(res.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(res.headers.get("last-modified")).toBe("Thu, 18 Mar 2021 08:00:00 GMT");
  });

  it("answers a matching If-None-Match with 304 and no body", async () => {
    const etag = (await app.request("/")).headers.get("etag") ?? "";
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const res = await app.request("/", { headers: { "If-None-Match": header } });
      expect(res.status, header).toBe(304);
      expect(await res.text()).toBe("");
      expect(res.headers.get("etag")).toBe(etag);
    }
    const stale = await app.request("/", { headers: { "If-None-Match": '"stale"' } });
    expect(stale.status).toBe(200);
  });

  it("keeps a 304 small: validators, caching and Vary, not the 200's other headers", async () => {
    const page2 = rendered("<p>Cửa Lò</p>", "text/html; charset=utf-8", new Date(0), {
      Vary: "Accept",
      Link: '<https://cualo.example/a>; rel="alternate"',
    });
    const app2 = new Hono<WebEnv>().get("/", (c) => respond(c, page2));
    const full = await app2.request("/");
    expect(full.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(full.headers.get("link")).toContain('rel="alternate"');
    const res = await app2.request("/", { headers: { "If-None-Match": page2.etag } });
    expect(res.status).toBe(304);
    expect(res.headers.get("etag")).toBe(page2.etag);
    expect(res.headers.get("vary")).toBe("Accept");
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    expect(res.headers.get("content-security-policy")).toBeNull();
    expect(res.headers.get("link")).toBeNull();
  });

  it("lets a resource set its own Cache-Control, on its 304 too", async () => {
    const archive = rendered("<feed/>", "application/atom+xml; charset=utf-8", new Date(0), {
      "Cache-Control": "public, max-age=86400",
    });
    const app3 = new Hono<WebEnv>().get("/", (c) => respond(c, archive));
    const full = await app3.request("/");
    expect(full.headers.get("cache-control")).toBe("public, max-age=86400");
    const res = await app3.request("/", { headers: { "If-None-Match": archive.etag } });
    expect(res.status).toBe(304);
    expect(res.headers.get("cache-control")).toBe("public, max-age=86400");
  });

  it("dates a body by its ETag when asked to, and the gzip bytes alike", () => {
    const text = "<p>Cửa Lò</p>".repeat(200);
    const asked: string[] = [];
    const r = rendered(text, "text/html; charset=utf-8", (etag) => {
      asked.push(etag);
      return new Date("2026-05-01T10:00:00.600Z");
    });
    expect(asked).toEqual([r.etag]);
    expect(r.headers["Last-Modified"]).toBe("Fri, 01 May 2026 10:00:00 GMT");
    expect(r.gzip?.headers["Last-Modified"]).toBe("Fri, 01 May 2026 10:00:00 GMT");
  });

  it("answers If-Modified-Since at or after Last-Modified with 304", async () => {
    const same = await app.request("/", {
      headers: { "If-Modified-Since": "Thu, 18 Mar 2021 08:00:00 GMT" },
    });
    expect(same.status).toBe(304);
    const older = await app.request("/", {
      headers: { "If-Modified-Since": "Thu, 18 Mar 2021 07:59:59 GMT" },
    });
    expect(older.status).toBe(200);
    const garbage = await app.request("/", { headers: { "If-Modified-Since": "yesterday" } });
    expect(garbage.status).toBe(200);
  });

  it("lets If-None-Match win over If-Modified-Since", async () => {
    const res = await app.request("/", {
      headers: { "If-None-Match": '"stale"', "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT" },
    });
    expect(res.status).toBe(200);
  });

  it("gives the fast path the same headers, in the same order, as a list", () => {
    const big = rendered("<p>Cửa Lò</p>".repeat(200), "text/html; charset=utf-8", new Date(0), {
      Vary: "Accept",
    });
    for (const variant of [big, big.gzip ?? big, page]) {
      for (const notModified of [false, true]) {
        const list = headerListFor(variant, notModified, "req-1");
        const pairs: [string, string][] = [];
        for (let i = 0; i < list.length; i += 2) pairs.push([list[i] ?? "", list[i + 1] ?? ""]);
        const expected = Object.entries(headersFor(variant, notModified, "req-1"));
        if (!notModified) expected.push(["Content-Length", String(variant.body.byteLength)]);
        expect(pairs).toEqual(expected);
      }
    }
    // Each answer gets its own copy: one request's id never shows in another's.
    headerListFor(page, false, "first");
    expect(headerListFor(page, false, "second")).not.toContain("first");
  });

  it("matches the tag a client sends back, and the lists and weak forms of it", () => {
    expect(matchesValidators(page, page.etag, undefined)).toBe(true);
    expect(matchesValidators(page, `"other", W/${page.etag}`, undefined)).toBe(true);
    expect(matchesValidators(page, " * ", undefined)).toBe(true);
    expect(matchesValidators(page, '"other"', undefined)).toBe(false);
  });

  it("reads Accept-Encoding the same way every time it is asked, past its memory too", () => {
    for (let round = 0; round < 2; round++) {
      expect(acceptsGzip("gzip, deflate, br, zstd")).toBe(true);
      expect(acceptsGzip("gzip;q=0, deflate")).toBe(false);
      expect(acceptsGzip("br, *;q=0.5")).toBe(true);
      expect(acceptsGzip("identity")).toBe(false);
      // More distinct values than it remembers: each still answered by parsing.
      for (let i = 0; i < 100; i++) {
        expect(acceptsGzip(`x-${i}, gzip;q=${i % 2}`)).toBe(i % 2 === 1);
      }
    }
  });
});
