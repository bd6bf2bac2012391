import { mkdir, realpath, rm, utimes } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeContentDir, type TempContent } from "../../tests/fixtures/content/make-dir.ts";
import { readContentFile } from "./files.ts";
import { loadContent } from "./load.ts";
import { treeSignature } from "./signature.ts";

let content: TempContent | undefined;
afterEach(async () => {
  await content?.cleanup();
  content = undefined;
});

describe("readContentFile", () => {
  it("reports a file that is gone as a missing problem, not an exception", async () => {
    content = await makeContentDir();
    const root = await realpath(content.dir);
    const r = await readContentFile(root, join(root, "articles", "da-xoa.md"), 1000);
    expect(r).toMatchObject({ ok: false, missing: true });
  });

  it("reports a directory named like an article without failing the load", async () => {
    content = await makeContentDir();
    await mkdir(join(content.dir, "articles", "thu-muc.md"));
    const s = await loadContent(content.dir);
    expect(s.problems).toEqual([{ file: "articles/thu-muc.md", reason: "is not a regular file" }]);
    expect(s.brokenFiles).toEqual(["articles/thu-muc.md"]);
  });
});

describe("treeSignature", () => {
  it("changes on add, edit and remove, and ignores dotfiles", async () => {
    content = await makeContentDir();
    const root = await realpath(content.dir);
    const s0 = await treeSignature(root);
    await content.write("articles/.bai.md.swp", "tạm");
    expect(await treeSignature(root)).toBe(s0);
    await content.write("articles/bai.md", "một");
    const s1 = await treeSignature(root);
    expect(s1).not.toBe(s0);
    await content.write("articles/bai.md", "hai");
    await utimes(join(root, "articles", "bai.md"), new Date(), new Date(Date.now() + 5000));
    const s2 = await treeSignature(root);
    expect(s2).not.toBe(s1);
    await rm(join(root, "articles", "bai.md"));
    expect(await treeSignature(root)).toBe(s0);
  });
});
