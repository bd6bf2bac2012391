/** What an operator sees when the server cannot start: one line naming the file, field and reason. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function start(siteYml: string): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "loa-startup-"));
  dirs.push(dir);
  writeFileSync(join(dir, "site.yml"), siteYml);
  const result = spawnSync(process.execPath, [join(root, "src/main.ts")], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      CONTENT_DIR: dir,
      DATA_DIR: join(dir, "data"),
      KEYS_DIR: join(dir, "keys"),
      PORT: "0",
    },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe("a broken site.yml at start", () => {
  it("stops with one line naming the file, each field and its reason", () => {
    const { status, stderr } = start("title: Cửa Lò\nlanguage: vi\ntimezone: Mars/Olympus\n");
    expect(status).toBe(1);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Loa cannot start: .*site\.yml: timezone: "Mars\/Olympus" is not/);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("names the YAML problem when the file cannot be parsed", () => {
    const { status, stderr } = start("title: [unclosed\n");
    expect(status).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^Loa cannot start: .*site\.yml: /);
  });
});
