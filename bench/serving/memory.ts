import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { generateContent } from "../harness/articles.ts";
import type { Context } from "../harness/context.ts";
import { waitFor200, waitForIdle } from "../harness/processes.ts";
import { figure } from "../harness/report.ts";
import { startLoa } from "../harness/server.ts";
import { mib } from "./cells.ts";

/** One idle server's resident memory (issue 20, item 3). */
export interface MemoryCase {
  name: string;
  articles: number;
  env: Record<string, string>;
  /** Target in MiB (idle VmRSS of the whole process, threads included). */
  limitMiB: number;
  rssBytes: number | null;
  /** The process's threads when measured (a started delivery thread shows here). */
  threads: number | null;
}

export interface MemoryResult {
  /** How long each server sat idle after `/readyz` and a quiet CPU before the reading. */
  settleS: number;
  cases: MemoryCase[];
}

const CASES: readonly Omit<MemoryCase, "rssBytes" | "threads">[] = [
  { name: "idle, 1 article, default settings", articles: 1, env: {}, limitMiB: 150 },
  {
    name: "idle, 1 article, DELIVERY_THREADS=0",
    articles: 1,
    env: { DELIVERY_THREADS: "0" },
    limitMiB: 150,
  },
  { name: "idle, 10,000 articles, default settings", articles: 10_000, env: {}, limitMiB: 250 },
];

/**
 * Resident memory of an idle server as `npm start` runs it: started, `/readyz`
 * answered, CPU quiet (the archive reconciled), then `settleS` seconds more;
 * `VmRSS` of `/proc/<pid>/status` counts every thread of the process.
 */
export async function runMemory(ctx: Context): Promise<MemoryResult> {
  const settleS = ctx.options.quick ? 3 : 10;
  const cases: MemoryCase[] = [];
  const contents = new Map<number, string>();
  for (const c of CASES) {
    const articles = ctx.options.quick ? Math.min(c.articles, 1000) : c.articles;
    const dir = join(ctx.workDir, `memory-${cases.length}`);
    let contentDir = contents.get(articles);
    if (!contentDir) {
      ctx.log(`memory: generating ${articles} articles`);
      contentDir = (
        await generateContent(join(ctx.workDir, `memory-content-${articles}`), articles)
      ).dir;
      contents.set(articles, contentDir);
    }
    const loa = await startLoa({
      contentDir,
      keysDir: ctx.keysDir,
      dataDir: join(dir, "data"),
      workDir: dir,
      label: `memory-${cases.length}`,
      env: c.env,
    });
    try {
      await waitFor200(`${loa.origin}/readyz`, loa.child, performance.now(), 120_000);
      await waitForIdle(loa.child.pid, { timeoutMs: 300_000 });
      await sleep(settleS * 1000);
      const rssBytes = await loa.rss();
      const threads = await threadCount(loa.child.pid);
      ctx.log(`  ${c.name}: ${mib(rssBytes)?.toFixed(1) ?? "—"} MiB, ${threads ?? "?"} threads`);
      cases.push({ ...c, articles, rssBytes, threads });
    } finally {
      await loa.stop();
    }
  }
  addMemoryFigures(ctx, cases);
  return { settleS, cases };
}

async function threadCount(pid: number): Promise<number | null> {
  try {
    const m = /^Threads:\s+(\d+)/m.exec(await readFile(`/proc/${pid}/status`, "utf8"));
    return m?.[1] ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Figures for the table (exported so a saved result can be re-tabled). */
export function addMemoryFigures(ctx: Context, cases: readonly MemoryCase[]): void {
  for (const c of cases) {
    ctx.figures.push(
      figure({
        section: "memory",
        name: `resident memory, ${c.name.replace("10,000", c.articles.toLocaleString("en-US"))}`,
        unit: "MiB",
        value: mib(c.rssBytes),
        target: { text: `< ${c.limitMiB} MiB`, test: (v) => v < c.limitMiB },
      }),
    );
  }
}
