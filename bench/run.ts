/**
 * `npm run bench`: feed serving, archive size and fan-out, each figure beside
 * its baseline measured in the same run. See docs/performance.md.
 */

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type FanoutResult, runFanout } from "./fanout/section.ts";
import { runWebSub, type WebSubResult } from "./fanout/websub.ts";
import type { Context } from "./harness/context.ts";
import { parseBenchOptions } from "./harness/options.ts";
import { stopAll, stopAllOnSignals } from "./harness/processes.ts";
import { formatTable } from "./harness/report.ts";
import { ROOT } from "./harness/server.ts";
import { hasWrk } from "./harness/wrk.ts";
import { type NewsroomResult, runNewsroom } from "./newsroom/section.ts";
import { type ArchiveResult, runArchive } from "./serving/archive.ts";
import { type ConversationResult, runConversation } from "./serving/conversation.ts";
import { type FeedsResult, runFeeds } from "./serving/feeds.ts";
import { type MemoryResult, runMemory } from "./serving/memory.ts";

/** Everything one run measured; written as JSON. */
export interface BenchResult {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string };
  options: Context["options"];
  feeds: FeedsResult | null;
  archive: ArchiveResult | null;
  fanout: FanoutResult | null;
  conversation: ConversationResult | null;
  websub: WebSubResult | null;
  newsroom: NewsroomResult | null;
  memory: MemoryResult | null;
  figures: Context["figures"];
  errors: { section: string; message: string }[];
}

async function ensureWrk(log: (l: string) => void): Promise<void> {
  if (await hasWrk()) return;
  if (process.getuid?.() !== 0) throw new Error("wrk is missing; install it (apt-get install wrk)");
  log("installing wrk with apt-get (update first)…");
  const { execFileSync } = await import("node:child_process");
  const env = { DEBIAN_FRONTEND: "noninteractive", PATH: "/usr/sbin:/usr/bin:/sbin:/bin" };
  execFileSync("apt-get", ["update", "-qq"], { env, timeout: 600_000, stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", "wrk"], {
    env,
    timeout: 600_000,
    stdio: "inherit",
  });
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  stopAllOnSignals();
  const log = (line: string) => console.log(line);
  const workDir = await mkdtemp(join(tmpdir(), "loa-bench-"));
  const keysDir = join(workDir, "keys");
  await mkdir(keysDir, { recursive: true });
  const ctx: Context = { options, workDir, keysDir, log, figures: [] };
  const started = new Date();
  const result: BenchResult = {
    startedAt: started.toISOString(),
    finishedAt: "",
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    options,
    feeds: null,
    archive: null,
    fanout: null,
    conversation: null,
    websub: null,
    newsroom: null,
    memory: null,
    figures: ctx.figures,
    errors: [],
  };
  log(`Loa bench: work dir ${workDir}`);
  try {
    if (
      ["feeds", "archive", "conversation", "newsroom"].some((s) =>
        options.only.includes(s as never),
      )
    ) {
      await ensureWrk(log);
    }
    // Each section fails on its own: a broken part does not hide the others' figures.
    const section = async <T>(name: string, fn: () => Promise<T>): Promise<T | null> => {
      if (!options.only.includes(name as never)) return null;
      try {
        return await fn();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`${name} failed: ${message}`);
        result.errors.push({ section: name, message });
        return null;
      } finally {
        await stopAll();
      }
    };
    result.feeds = await section("feeds", () => runFeeds(ctx));
    result.archive = await section("archive", () => runArchive(ctx));
    result.fanout = await section("fanout", () => runFanout(ctx));
    result.conversation = await section("conversation", () => runConversation(ctx));
    result.websub = await section("websub", () => runWebSub(ctx));
    result.newsroom = await section("newsroom", () => runNewsroom(ctx));
    result.memory = await section("memory", () => runMemory(ctx));
  } finally {
    await stopAll();
    result.finishedAt = new Date().toISOString();
  }

  log("");
  log(formatTable(ctx.figures));
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const stamp = started.toISOString().replace(/[:.]/g, "-");
  const files = options.save ? [join(ROOT, "bench", "results", `${stamp}.json`)] : [];
  if (options.json) files.push(resolve(options.json));
  for (const file of files) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, json);
    log(`results: ${file}`);
  }
  if (options.profile) log(`profiles: ${join(workDir, "profiles")}`);
  if (options.profile || options.keep) log(`work dir kept: ${workDir}`);
  else await rm(workDir, { recursive: true, force: true });
  if (result.errors.length > 0) process.exitCode = 1;
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await stopAll();
  process.exit(1);
});
