/**
 * The public web surface of the real server: no path reaches outside the
 * content, hostile titles render as text in every format, ORIGIN decides every
 * URL whatever Host or X-Forwarded-* say, keys are never served and are 0600,
 * HTML carries security headers and a CSP it passes, and an error page never
 * shows a stack trace.
 */

import { createHash } from "node:crypto";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import Parser from "rss-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { systemClock } from "../../src/clock.ts";
import { loadConfig } from "../../src/config.ts";
import { openContent } from "../../src/content/source.ts";
import { createHealth } from "../../src/operations/health.ts";
import { PAGE_CSP } from "../../src/pages/index.ts";
import { NO_CONVERSATIONS } from "../../src/read-models/conversations.ts";
import { createUrls } from "../../src/urls.ts";
import { AS2, ENTRY, writeArticle } from "../federation/e2e.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { makeContent } from "./helpers.ts";

const EVIL = `<script>alert("x")</script> ]]> & <b>đậm</b>`;
let content: string;
let server: TestServer;

/** A GET sent exactly as written (no URL normalisation), with any headers. */
function rawGet(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: server.port, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        body += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function decodeHtml(html: string): string {
  const named: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" };
  return html.replace(/&(#\d+|[a-z]+);/g, (m, e: string) =>
    e.startsWith("#") ? String.fromCodePoint(Number(e.slice(1))) : (named[e] ?? m),
  );
}

beforeAll(async () => {
  content = await makeContent("loa-hard-web-");
  await mkdir(join(content, "images"), { recursive: true });
  await writeFile(join(content, "images", "a.png"), Buffer.from("89504e470d0a1a0a", "hex"));
  await writeArticle(content, "doc-hai", [
    `title: '${EVIL.replaceAll("'", "''")}'`,
    `summary: '${EVIL.replaceAll("'", "''")}'`,
    `tags: ['<i>thẻ</i>', ']]>']`,
    "published: 2021-03-18T15:00:00+07:00",
  ]);
  server = await startServer({ contentDir: content, entry: ENTRY });
});

afterAll(async () => {
  await server?.cleanup();
  await rm(content, { recursive: true, force: true });
});

describe("paths cannot leave the content", () => {
  // Encoded separators and dots: the router must not decode them into a way out.
  const encoded = [
    "/articles/..%2f..%2fsite.yml",
    "/articles/%2e%2e%2fsite.yml",
    "/articles/..%5csite.yml",
    "/articles/%252e%252e%252fsite.yml",
    "/media/..%2fsite.yml",
    "/media/%2e%2e/%2e%2e/etc/passwd",
    "/media/images/..%2f..%2fsite.yml",
    "/media/articles/doc-hai.md",
    "/media/site.yml",
    "/media/%2fetc%2fpasswd",
    "/media/images%00/a.png",
    "/tags/..%2f..%2fsite.yml",
    "/keys/rsa.jwk.json",
  ];
  // Plain dot segments: resolved by URL parsing before routing (to "/" or "/keys/…").
  const normalised = [
    "/articles/..",
    "/media/../site.yml",
    "/media/../keys/rsa.jwk.json",
    "/tags/..",
  ];
  const SECRETS = /username: cualo|root:x:|"d":|PRIVATE KEY/;

  it("answers 4xx to encoded escapes, and never a file outside content/", async () => {
    for (const path of encoded) {
      const res = await rawGet(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(res.body, path).not.toMatch(SECRETS);
    }
    for (const path of normalised) {
      const res = await rawGet(path);
      expect(res.status, path).toBeLessThan(500);
      expect(res.body, path).not.toMatch(SECRETS);
    }
    // The legitimate image is still served.
    expect((await rawGet("/media/images/a.png")).status).toBe(200);
  });

  it("keys are 0600 files in a directory no route serves", async () => {
    const names = await readdir(server.keysDir);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      expect(((await stat(join(server.keysDir, name))).mode & 0o777).toString(8), name).toBe("600");
      for (const prefix of ["/", "/media/", "/keys/", "/articles/"]) {
        expect((await rawGet(`${prefix}${name}`)).status, prefix + name).toBeGreaterThanOrEqual(
          400,
        );
      }
    }
  });
});

describe("hostile text renders as text everywhere", () => {
  it("in the HTML page, the index and the tag page", async () => {
    for (const path of ["/articles/doc-hai", "/", `/tags/${encodeURIComponent("<i>thẻ</i>")}`]) {
      const { status, body } = await rawGet(path);
      expect(status, path).toBe(200);
      expect(body, path).not.toContain("<script>alert");
      expect(body, path).not.toContain("<b>đậm</b>");
      expect(body, path).not.toContain("<i>thẻ</i>");
      expect(body, path).toMatch(/&lt;script&gt;alert/);
    }
  });

  it("in RSS and Atom (read back exactly by a real parser) and JSON Feed", async () => {
    const parser = new Parser();
    const rss = await parser.parseString((await rawGet("/rss.xml")).body);
    expect(rss.items[0]?.title).toBe(EVIL);
    // Atom titles are type="html": the XML carries escaped HTML, which reads back as the text.
    const atom = await parser.parseString((await rawGet("/atom.xml")).body);
    expect(decodeHtml(atom.items[0]?.title ?? "")).toBe(EVIL);
    const json = JSON.parse((await rawGet("/feed.json")).body) as {
      items: { title: string; content_html: string; summary: string; tags: string[] }[];
    };
    expect(json.items[0]?.title).toBe(EVIL);
    expect(json.items[0]?.content_html).not.toContain("<script>alert");
  });

  it("in the Note", async () => {
    const { body } = await rawGet("/articles/doc-hai", { Accept: AS2 });
    const note = JSON.parse(body) as { content: string; tag: { name: string }[] };
    expect(note.content).not.toContain("<script>alert");
    expect(note.content).not.toContain("<b>đậm</b>");
    expect(note.content).toContain("&lt;script&gt;alert");
    expect(JSON.stringify(note.tag)).not.toContain("<i>");
  });
});

describe("ORIGIN decides every URL", () => {
  const liars = {
    Host: "evil.example",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Proto": "https",
    Forwarded: "host=evil.example;proto=https",
  };

  it("in the actor, WebFinger, the Note, feeds and pages", async () => {
    const paths: [string, Record<string, string>][] = [
      ["/users/cualo", { Accept: AS2 }],
      [`/.well-known/webfinger?resource=acct:cualo@${new URL(server.origin).host}`, {}],
      ["/.well-known/nodeinfo", {}],
      ["/articles/doc-hai", { Accept: AS2 }],
      ["/articles/doc-hai", {}],
      ["/rss.xml", {}],
      ["/atom.xml", {}],
      ["/feed.json", {}],
      ["/", {}],
    ];
    for (const [path, headers] of paths) {
      const res = await rawGet(path, { ...headers, ...liars });
      expect(res.status, path).toBe(200);
      expect(res.body, path).not.toContain("evil.example");
      expect(res.body, path).toContain(server.origin);
    }
    // A WebFinger query for the lying host's account finds nothing.
    const wf = await rawGet("/.well-known/webfinger?resource=acct:cualo@evil.example", liars);
    expect(wf.status).toBe(404);
  });
});

describe("HTML headers", () => {
  it("carry the pages' CSP, which every inline style matches, and the usual hardening headers", async () => {
    for (const path of ["/", "/articles/doc-hai", "/articles/khong-co"]) {
      const res = await rawGet(path);
      expect(res.headers["content-security-policy"], path).toBe(PAGE_CSP);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["referrer-policy"]).toBeDefined();
      expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
      expect(PAGE_CSP).toMatch(/default-src 'none'/);
      expect(PAGE_CSP).not.toMatch(/unsafe-inline/);
      const styles = [...res.body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? "");
      expect(styles.length, path).toBeGreaterThan(0);
      for (const css of styles) {
        const hash = createHash("sha256").update(css, "utf8").digest("base64");
        expect(PAGE_CSP, path).toContain(`'sha256-${hash}'`);
      }
      expect(res.body).not.toMatch(/<script(?![^>]*type="application\/ld\+json")/);
      expect(res.body).not.toMatch(/ style=/);
    }
  });
});

describe("errors", () => {
  it("an internal error answers a plain 500 page without stack or message", async () => {
    const config = loadConfig({ ORIGIN: "https://tin.example.vn", CONTENT_DIR: content });
    const source = await openContent(content, { watch: false });
    const app = createApp({
      config,
      urls: createUrls(config.origin),
      content: source,
      clock: systemClock,
      health: createHealth({ checks: {} }),
      observeRequest: () => {},
      conversations: NO_CONVERSATIONS,
      isGone: () => {
        throw new Error("database is down at /srv/loa/src/storage/sqlite/store.ts:42 SECRET");
      },
    });
    const res = await app.request("https://tin.example.vn/articles/khong-co");
    const body = await res.text();
    await source.close();
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(body).not.toMatch(/SECRET|store\.ts|database is down|\bat .*:\d+:\d+/);
  });
});
