/** `npm run audit` end to end: the real command in its own process, over a store with records. */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { openStorage } from "../../src/storage/open.ts";
import { tempDir } from "../storage/backends.ts";

const ROOT = resolve(import.meta.dirname, "../..");

function audit(
  dataDir: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["src/cli/audit.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

describe("npm run audit", () => {
  it("prints the trail newest first, since a date, as lines or JSON", {
    timeout: 90_000,
  }, async () => {
    const dataDir = tempDir();
    const storage = await openStorage({ dataDir, databaseUrl: undefined });
    for (const [day, action] of [
      ["2024-07-01T08:00:00Z", "login"],
      ["2024-07-02T08:00:00Z", "reply.approve"],
      ["2024-07-03T08:00:00Z", "logout"],
    ] as const) {
      await storage.store.appendAudit({
        at: new Date(day),
        actor: "thu",
        action,
        subject: "thu",
        outcome: "ok",
        address: "203.0.113.7",
        detail: null,
      });
    }
    await storage.close();
    const [all, since, bad] = await Promise.all([
      audit(dataDir, []),
      audit(dataDir, ["--since", "2024-07-02", "--json"]),
      audit(dataDir, ["--since", "yesterday-ish"]),
    ]);
    expect(all.code).toBe(0);
    expect(
      all.stdout
        .trim()
        .split("\n")
        .map((l) => l.split("  ")[2]),
    ).toEqual(["logout", "reply.approve", "login"]);
    expect(since.code).toBe(0);
    const records = since.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.action)).toEqual(["logout", "reply.approve"]);
    expect(records[0]).toMatchObject({ actor: "thu", address: "203.0.113.7", outcome: "ok" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Usage: npm run audit");
  });
});
