/**
 * Broken content against the real server and a follower: each broken file is
 * reported with file and reason, the rest is served, nothing is federated from
 * a broken file, and a good article whose file breaks is not deleted from
 * followers. (The per-case parsing is unit-tested in src/content/*.test.ts.)
 */
import { mkdtemp, rm, symlink, truncate, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRY, writeArticle } from "../federation/e2e.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { makeContent, type Receiver, seedFollowers, startReceiver, until } from "./helpers.ts";

let content: string;
let outside: string;
let server: TestServer;
let receiver: Receiver;

const recent = () => `published: ${new Date(Date.now() - 60_000).toISOString()}`;
const article = (name: string) => join(content, "articles", name);

/** Broken files, each with what the log must say about it. */
const BROKEN: Record<string, RegExp> = {
  "articles/broken-yaml.md": /broken-yaml\.md\W+-\W+invalid YAML at line \d/,
  "articles/no-title.md": /no-title\.md\W+title\W+is required/,
  "articles/wrong-type.md": /wrong-type\.md\W+title\W+must be text/,
  "articles/no-offset.md": /no-offset\.md\W+published\W+.*no time zone offset/,
  "articles/zz-dup.md": /zz-dup\.md\W+slug\W+"good" is already used by articles\/good\.md/,
  "articles/latin1.md": /latin1\.md\W+-\W+is not valid UTF-8/,
  "articles/huge.md": /huge\.md\W+-\W+is 52428800 bytes, over the limit/,
  "articles/link-out.md":
    /link-out\.md\W+-\W+is a symbolic link pointing outside the content directory/,
};

beforeAll(async () => {
  content = await makeContent("loa-hard-content-");
  outside = await mkdtemp(join(tmpdir(), "loa-hard-outside-"));
  receiver = await startReceiver();
  server = await startServer({ contentDir: content, entry: ENTRY });
  await seedFollowers(server.dataDir, [{ origin: receiver.origin, name: "reader" }]);
  // Everything arrives at once, while the server runs and has a follower.
  await writeArticle(content, "good", ["title: Bài tốt", recent()]);
  await writeFile(
    article("broken-yaml.md"),
    "---\ntitle: [chưa đóng\npublished: x\n---\nNội dung\n",
  );
  await writeArticle(content, "no-title", [recent()]);
  await writeArticle(content, "wrong-type", ["title: { a: 1 }", recent()]);
  await writeArticle(content, "no-offset", [
    "title: Thiếu múi giờ",
    "published: 2026-01-01T10:00:00",
  ]);
  await writeArticle(content, "zz-dup", ["title: Trùng", "slug: good", recent()]);
  await writeFile(
    article("latin1.md"),
    Buffer.concat([
      Buffer.from(`---\ntitle: Caf`),
      Buffer.from([0xe9]),
      Buffer.from(`\n${recent()}\n---\nx\n`),
    ]),
  );
  // 50 MB (sparse: instant to make, still 50 MB to anyone who reads it).
  await writeFile(article("huge.md"), `---\ntitle: To\n${recent()}\n---\n`);
  await truncate(article("huge.md"), 50 * 1024 * 1024);
  await writeFile(join(outside, "secret.md"), `---\ntitle: Bí mật\n${recent()}\n---\nsecret\n`);
  await symlink(join(outside, "secret.md"), article("link-out.md"));
});

afterAll(async () => {
  await server?.cleanup();
  await receiver?.close();
  await rm(content, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe("broken content", () => {
  it("reports each broken file with its reason", async () => {
    for (const [file, pattern] of Object.entries(BROKEN)) {
      await until(() => pattern.test(server.output()), `the report on ${file}`);
      expect(server.output()).toMatch(pattern);
    }
  });

  it("serves the good article, and none of the broken ones", async () => {
    expect((await fetch(`${server.origin}/articles/good`)).status).toBe(200);
    expect(await (await fetch(`${server.origin}/articles/good`)).text()).toContain("Bài tốt");
    for (const slug of [
      "broken-yaml",
      "no-title",
      "wrong-type",
      "no-offset",
      "latin1",
      "huge",
      "link-out",
    ]) {
      const res = await fetch(`${server.origin}/articles/${slug}`);
      await res.body?.cancel();
      expect(res.status, slug).toBe(404);
    }
    const feed = (await (await fetch(`${server.origin}/feed.json`)).json()) as {
      items: { title: string }[];
    };
    expect(feed.items.map((i) => i.title)).toEqual(["Bài tốt"]);
    expect(await (await fetch(`${server.origin}/rss.xml`)).text()).not.toContain("Bí mật");
  });

  it("federates only the good article", async () => {
    await until(() => receiver.deliveries.some((d) => d.type === "Create"), "the Create");
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.deliveries.map((d) => [d.type, d.object])).toEqual([
      ["Create", `${server.origin}/articles/good`],
    ]);
  });

  it("does not delete a good article from followers when its file breaks", async () => {
    await writeFile(article("good.md"), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x0a]));
    await until(
      () => /\bgood\.md\W+-\W+is not valid UTF-8/.test(server.output()),
      "the broken edit reported",
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.deliveries.filter((d) => d.type !== "Create")).toEqual([]);
  });

  it("keeps serving while files appear and vanish under it", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      await writeArticle(content, "flicker", ["title: Chớp", recent()]);
      const res = fetch(`${server.origin}/`).then(
        async (r) => {
          await r.body?.cancel();
          return r.status;
        },
        (error: unknown) => {
          throw new Error(`GET / failed: ${error}\n${server.output().slice(-3000)}`);
        },
      );
      await unlink(article("flicker.md"));
      statuses.push(await res);
    }
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect((await fetch(`${server.origin}/.well-known/nodeinfo`)).status).toBe(200);
    expect(server.output()).not.toMatch(/Unhandled error/);
  });
});
