/**
 * `npm run status` as an operator runs it: the real CLI in its own process,
 * reading a real store beside this one (which plays the running server).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { backends, type Target, until } from "../storage/backends.ts";
import {
  ACTIVITY_A,
  ACTIVITY_B,
  deliveriesOf,
  INBOX,
  recordsDeliveries,
  seed,
} from "./status-fixtures.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const CLI = "src/cli/status.ts";
const CLEAR = "\x1b[H\x1b[2J";

interface Run {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Starts the CLI with `env` over a clean environment of settings. */
function start(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function run(args: string[], env: Record<string, string>) {
  const started = start(args, env);
  const code = await started.exited;
  return { code, stdout: started.stdout(), stderr: started.stderr() };
}

function settings(target: Target): Record<string, string> {
  return { DATA_DIR: target.dataDir, DATABASE_URL: target.databaseUrl ?? "" };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("npm run status, refusing", () => {
  it("an unknown option, with its usage", async () => {
    const result = await run(["--bogus"], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option: --bogus");
    expect(result.stderr).toContain("Usage: npm run status");
    expect(result.stdout).toBe("");
  });

  it("a bad setting, naming it", async () => {
    const result = await run([], { METRICS_PORT: "0" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Bad setting: METRICS_PORT=0");
  });

  it("a DATA_DIR where the server never ran, without creating a store there", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "loa-status-"));
    dirs.push(dataDir);
    const result = await run([], { DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`No store at ${join(dataDir, "loa.sqlite")}`);
    expect(existsSync(join(dataDir, "loa.sqlite"))).toBe(false);
  });
});

for (const backend of await backends()) {
  const ready = await recordsDeliveries(backend);
  describe.skipIf(!ready)(`npm run status on ${backend.name}`, () => {
    it("prints the report as a table, and as JSON with --json", async () => {
      const target = await backend.target();
      const storage = await target.open();
      try {
        await seed(storage);
        const table = await run([], settings(target));
        expect(table.stderr).toBe("");
        expect(table.code).toBe(0);
        expect(table.stdout).toContain("Followers  6 on 3 servers");
        expect(table.stdout).toMatch(/^ {2}mastodon\.social\s+3$/m);
        expect(table.stdout).toContain("2 waiting: 1 ready, 1 delayed");
        expect(table.stdout).toContain("le-hoi/create/1");
        expect(table.stdout).toContain("1 delivered · 2 pending · 1 failed");
        expect(table.stdout).toMatch(
          /failing: (down\.example, gone\.example|gone\.example, down\.example)/,
        );
        // Not a terminal: no colours.
        expect(table.stdout).not.toContain("\x1b[");

        const json = await run(["--json"], settings(target));
        expect(json.code).toBe(0);
        const report = JSON.parse(json.stdout);
        expect(report.followers.total).toBe(6);
        expect(report.queue).toEqual({ queued: 2, ready: 1, delayed: 1 });
        expect(report.activities.map((a: { activityId: string }) => a.activityId)).toEqual([
          ACTIVITY_B,
          ACTIVITY_A,
        ]);
        expect(report.activities[1]).toMatchObject({ delivered: 1, pending: 2, failed: 1 });
      } finally {
        await storage.close();
      }
    });

    it("redraws with --watch while a fan-out progresses, and exits cleanly on Ctrl-C", async () => {
      const target = await backend.target();
      const storage = await target.open();
      const watching = start(["--watch"], settings(target));
      try {
        await seed(storage);
        const frames = () =>
          watching
            .stdout()
            .split(CLEAR)
            .filter((f) => f !== "");
        await until(() => frames().some((f) => f.includes("1 delivered · 2 pending · 1 failed")));
        // The server goes on delivering: a later frame shows it.
        await deliveriesOf(storage.store).recordDelivered(ACTIVITY_A, INBOX.example, new Date());
        await until(() => frames().some((f) => f.includes("2 delivered · 1 pending · 1 failed")));
        expect(frames().length).toBeGreaterThanOrEqual(2);
        watching.child.kill("SIGINT");
        expect(await watching.exited).toBe(0);
        expect(watching.stderr()).toBe("");
      } finally {
        watching.child.kill("SIGKILL");
        await storage.close();
      }
    });
  });
}
