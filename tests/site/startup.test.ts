/** What an operator sees when the server cannot start: one line naming the file, field and reason. */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadOrCreateKeys } from "../../src/federation/keys.ts";
import { SITE_YML } from "../federation/e2e.ts";

const root = join(import.meta.dirname, "../..");
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function start(
  siteYml: string,
  dir = mkdtempSync(join(tmpdir(), "loa-startup-")),
): { status: number | null; stderr: string } {
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

describe("key files others can read, at start", () => {
  /** A site dir whose keys were made (0600 in a 0700 dir), then loosened by `loosen`. */
  async function siteWithKeys(loosen: (keys: string) => void): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), "loa-startup-"));
    await loadOrCreateKeys(join(dir, "keys"));
    loosen(join(dir, "keys"));
    return dir;
  }

  it("stops with one line naming a key file others can read, and the fix", async () => {
    const dir = await siteWithKeys((keys) => chmodSync(join(keys, "rsa.jwk.json"), 0o644));
    const { status, stderr } = start(SITE_YML, dir);
    expect(status).toBe(1);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    const file = join(dir, "keys", "rsa.jwk.json");
    expect(lines[0]).toContain(`Loa cannot start: key file ${file}`);
    expect(lines[0]).toContain("0644");
    expect(lines[0]).toContain(`chmod 600 ${file}`);
  });

  it("stops with one line naming a keys directory others can enter, and the fix", async () => {
    const dir = await siteWithKeys((keys) => chmodSync(keys, 0o755));
    const { status, stderr } = start(SITE_YML, dir);
    expect(status).toBe(1);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`chmod 700 ${join(dir, "keys")}`);
  });
});
