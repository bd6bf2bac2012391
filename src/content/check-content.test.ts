import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  articleText,
  makeContentDir,
  type TempContent,
} from "../../tests/fixtures/content/make-dir.ts";

const run = promisify(execFile);
const NODE = resolve("node_modules/.bin/node");
const CLI = resolve("src/cli/check-content.ts");

async function check(dir: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(NODE, [CLI, dir]);
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

let content: TempContent | undefined;
afterEach(async () => {
  await content?.cleanup();
  content = undefined;
});

describe("check-content", () => {
  it("exits 0 on the town's content", async () => {
    const r = await check("content");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 article\(s\) valid, 0 problem/);
  });

  it("counts drafts apart and exits 0 when they are the only difference", async () => {
    content = await makeContentDir({
      "articles/tot.md": articleText(["title: Tốt", "published: 2021-03-18T15:00:00+07:00"]),
      "articles/nhap.md": articleText([
        "title: Bản nháp",
        "published: 2021-03-19T15:00:00+07:00",
        "draft: true",
      ]),
    });
    const r = await check(content.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 article\(s\) valid, 1 draft\(s\) not published, 0 problem/);
  });

  it("prints file: field: reason for each problem and exits 1", async () => {
    content = await makeContentDir({
      "articles/tot.md": articleText(["title: Tốt", "published: 2021-03-18T15:00:00+07:00"]),
      "articles/xau.md": articleText(["title: Xấu", "published: 2021-03-18 15:00"]),
    });
    const r = await check(content.dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^articles\/xau\.md: published: .*no time zone offset/m);
    expect(r.stdout).toMatch(/1 article\(s\) valid, 1 problem\(s\) in 1 file/);
  });
});
