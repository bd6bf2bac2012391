/**
 * Validators that tell the truth, as a client revalidating with
 * `If-Modified-Since` alone sees them on the running server: after a body
 * edit without `updated`, a removal, a `site.yml` change and a restart, every
 * document that changed answers 200 to its old `Last-Modified`, and one that
 * did not keeps both its ETag and its date. `Last-Modified` never goes back.
 */
import { readFile, rm, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, writeArticle } from "../federation/e2e.ts";
import { makeContent } from "../hardening/helpers.ts";
import { startServer, type TestServer } from "../helpers/server.ts";

const TAG = encodeURIComponent("Biển");
const PATHS = [
  "/",
  "/rss.xml",
  "/atom.xml",
  "/feed.json",
  "/articles/bai-cu",
  "/articles/bai-giua",
  `/tags/${TAG}`,
  `/tags/${TAG}/atom.xml`,
  `/tags/${TAG}/feed.json`,
  "/tags",
  "/feeds.opml",
  "/sitemap.xml",
  "/archives/2021/02/rss.xml",
  "/archives/2021/03/atom.xml",
];

let server: TestServer;
let dir: string;

const url = (path: string) => `${server.origin}${path}`;

async function article(slug: string, published: string, body: string) {
  await writeArticle(
    dir,
    slug,
    [`title: Bài ${slug}`, `published: ${published}`, "tags: [Biển]"],
    body,
  );
}

beforeAll(async () => {
  dir = await makeContent("loa-validators-");
  await article("bai-cu", "2021-02-10T09:00:00+07:00", "Bài cũ.\n");
  await article("bai-giua", "2021-03-05T09:00:00+07:00", "Bài giữa.\n");
  await article("bai-moi", "2021-03-18T09:00:00+07:00", "Bài mới.\n");
  server = await startServer({ contentDir: dir });
});

afterAll(async () => {
  await server?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

interface Seen {
  status: number;
  etag: string;
  lastModified: string;
}

async function look(): Promise<Map<string, Seen>> {
  const out = new Map<string, Seen>();
  for (const path of PATHS) {
    const res = await fetch(url(path));
    await res.body?.cancel();
    out.set(path, {
      status: res.status,
      etag: res.headers.get("etag") ?? "",
      lastModified: res.headers.get("last-modified") ?? "",
    });
  }
  return out;
}

const time = (httpDate: string) => new Date(httpDate).getTime();

/**
 * For every document: changed → a later Last-Modified, and 200 to the old one;
 * unchanged → the same ETag with the same Last-Modified, and 304. Returns the
 * paths that changed.
 */
async function expectTruthful(before: Map<string, Seen>, after: Map<string, Seen>) {
  const changed: string[] = [];
  for (const path of PATHS) {
    const was = before.get(path);
    const now = after.get(path);
    if (was?.status !== 200 || now?.status !== 200) continue;
    const answer = await fetch(url(path), { headers: { "If-Modified-Since": was.lastModified } });
    await answer.body?.cancel();
    if (now.etag !== was.etag) {
      changed.push(path);
      expect(time(now.lastModified), path).toBeGreaterThan(time(was.lastModified));
      expect(answer.status, `${path} If-Modified-Since the old date`).toBe(200);
    } else {
      expect(now.lastModified, path).toBe(was.lastModified);
      expect(answer.status, `${path} unchanged`).toBe(304);
    }
  }
  return changed;
}

/** Waits until `path`'s ETag differs from what `before` saw. */
async function changeOf(path: string, before: Map<string, Seen>, what: string) {
  await eventually(async () => {
    const res = await fetch(url(path));
    await res.body?.cancel();
    return res.headers.get("etag") !== before.get(path)?.etag;
  }, what);
}

describe("Last-Modified tells the truth", () => {
  it("a body edit without `updated` moves it on every document showing that article", async () => {
    const before = await look();
    for (const seen of before.values()) expect(seen.status).toBe(200);
    await article("bai-giua", "2021-03-05T09:00:00+07:00", "Bài giữa, đã sửa nội dung.\n");
    await changeOf("/articles/bai-giua", before, "the edited article");
    const changed = await expectTruthful(before, await look());
    expect(changed).toEqual(
      expect.arrayContaining([
        "/articles/bai-giua",
        "/rss.xml",
        "/atom.xml",
        "/feed.json",
        `/tags/${TAG}/atom.xml`,
        "/archives/2021/03/atom.xml",
      ]),
    );
    // What does not show it keeps its validators.
    expect(changed).not.toContain("/articles/bai-cu");
    expect(changed).not.toContain("/archives/2021/02/rss.xml");
  });

  it("removing the newest article moves it forward, never back to the article before", async () => {
    const before = await look();
    await unlink(join(dir, "articles", "bai-moi.md"));
    await changeOf("/rss.xml", before, "the removal");
    const after = await look();
    const changed = await expectTruthful(before, after);
    expect(changed).toEqual(
      expect.arrayContaining(["/", "/rss.xml", "/atom.xml", "/feed.json", "/tags", "/sitemap.xml"]),
    );
    // The newest article left is older than the removed one, the date is not.
    for (const path of changed) {
      expect(time(after.get(path)?.lastModified ?? ""), path).toBeGreaterThan(
        new Date("2021-03-18T02:00:00Z").getTime(),
      );
    }
  });

  it("a site.yml change moves it on every page and feed", async () => {
    const before = await look();
    const siteYml = join(dir, "site.yml");
    const text = await readFile(siteYml, "utf8");
    await writeFile(siteYml, text.replace(/^title: .*$/m, "title: Cổng thông tin Cửa Lò (mới)"));
    await changeOf("/feeds.opml", before, "the new title");
    const changed = await expectTruthful(before, await look());
    // The sitemap lists URLs and dates only: it is the one document the title is not in.
    expect(changed.sort()).toEqual(PATHS.filter((p) => p !== "/sitemap.xml").sort());
  });

  it("never goes back across a restart, and keeps the dates of what did not change", async () => {
    const before = await look();
    await server.stop();
    // Removed while the server was down: the newest article left is a month older.
    await unlink(join(dir, "articles", "bai-giua.md"));
    await server.start();
    const after = await look();
    expect(after.get("/articles/bai-giua")?.status).not.toBe(200);
    const changed = await expectTruthful(before, after);
    expect(changed).toEqual(expect.arrayContaining(["/", "/rss.xml", "/atom.xml", "/tags"]));
    // The same body after a restart keeps its Last-Modified: remembered in the store.
    expect(changed).not.toContain("/articles/bai-cu");
    expect(after.get("/articles/bai-cu")?.lastModified).toBe(
      before.get("/articles/bai-cu")?.lastModified,
    );
  });
});
