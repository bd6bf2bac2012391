import { join } from "node:path";
import { generateContent, slugOf, TAG_FEED_PATH } from "../harness/articles.ts";
import type { Context } from "../harness/context.ts";
import { waitForIdle } from "../harness/processes.ts";
import { figure } from "../harness/report.ts";
import { startLoa } from "../harness/server.ts";
import { type Cell, measureCell, mib, pathLabel, warmUp } from "./cells.ts";

/** One archive size: start-up, settling, memory and its cells. */
export interface ArchiveSize {
  articles: number;
  /** Spawn → first 200 on `/`. */
  startupMs: number;
  /** After the first 200, until the server's CPU went quiet (reconciling the archive). */
  settleMs: number;
  /** VmRSS after the warm-up. */
  rssBytes: number | null;
  /** VmRSS after all cells. */
  rssAfterBytes: number | null;
  cells: Cell[];
}

export interface ArchiveResult {
  sizes: ArchiveSize[];
}

const MEMORY_LIMIT_MIB = 300;

/**
 * Three days between articles: about ten a month at every size, so the month
 * archive measured holds as many articles at 10 as at 10,000 and its cells
 * show what a larger archive costs per request, not a larger document.
 */
const SPACING_HOURS = 72;

/** The same figures at each archive size; the smallest size is the baseline. */
export async function runArchive(ctx: Context): Promise<ArchiveResult> {
  const sizes: ArchiveSize[] = [];
  for (const n of [...ctx.options.sizes].sort((a, b) => a - b)) {
    const dir = join(ctx.workDir, `archive-${n}`);
    ctx.log(`archive: generating ${n} articles`);
    const content = await generateContent(join(dir, "content"), n, undefined, SPACING_HOURS);
    // An article and a month in the middle of the archive, not the freshly rendered newest ones.
    const middle = Math.floor(n / 2);
    const paths = [
      "/rss.xml",
      "/",
      `/articles/${slugOf(middle)}`,
      content.archiveOf(middle),
      TAG_FEED_PATH,
    ];
    const loa = await startLoa({
      contentDir: content.dir,
      keysDir: ctx.keysDir,
      dataDir: join(dir, "data"),
      workDir: dir,
      label: `archive-${n}`,
      nodeFlags: ctx.options.profile
        ? ["--cpu-prof", `--cpu-prof-dir=${join(ctx.workDir, "profiles")}`]
        : [],
    });
    try {
      ctx.log(`  start-up ${Math.round(loa.startupMs)} ms`);
      const settleMs = await waitForIdle(loa.child.pid, { timeoutMs: 300_000 });
      await loa.steady();
      const target = { name: "loa", origin: loa.origin };
      await warmUp(ctx, target, paths);
      const rssBytes = await loa.rss();
      const cells: Cell[] = [];
      for (const path of paths) {
        for (const mode of ["200", "304"] as const) {
          const cell = await measureCell(ctx, target, path, mode);
          if (cell) cells.push({ ...cell, articles: n });
        }
      }
      sizes.push({
        articles: n,
        startupMs: loa.startupMs,
        settleMs,
        rssBytes,
        rssAfterBytes: await loa.rss(),
        cells,
      });
    } finally {
      await loa.stop();
    }
  }
  addArchiveFigures(ctx, sizes);
  return { sizes };
}

/** Figures for the table (exported so a saved result can be re-tabled). */
export function addArchiveFigures(ctx: Context, sizes: readonly ArchiveSize[]): void {
  const base = sizes[0];
  if (!base) return;
  const largest = sizes[sizes.length - 1];
  for (const size of sizes) {
    const n = size.articles.toLocaleString("en-US");
    const isBase = size === base;
    const baselineName = `${base.articles} articles`;
    for (const cell of size.cells) {
      const label = pathLabel(cell.path);
      const b = base.cells.find((c) => pathLabel(c.path) === label && c.mode === cell.mode);
      const latencyTarget =
        size === largest && !isBase
          ? {
              text: "≤ 1.5× smallest",
              test: (_: number, r: number | null) => r !== null && r <= 1.5,
            }
          : undefined;
      ctx.figures.push(
        figure({
          section: "archive",
          name: `${n} articles ${label} ${cell.mode} req/s`,
          unit: "req/s",
          value: cell.rps,
          baselineName: isBase ? undefined : baselineName,
          baseline: isBase ? undefined : b?.rps,
        }),
        figure({
          section: "archive",
          name: `${n} articles ${label} ${cell.mode} p50`,
          unit: "ms",
          value: cell.p50Ms,
          baselineName: isBase ? undefined : baselineName,
          baseline: isBase ? undefined : b?.p50Ms,
          target: latencyTarget,
        }),
        figure({
          section: "archive",
          name: `${n} articles ${label} ${cell.mode} p99`,
          unit: "ms",
          value: cell.p99Ms,
          baselineName: isBase ? undefined : baselineName,
          baseline: isBase ? undefined : b?.p99Ms,
          target: latencyTarget,
        }),
      );
    }
    ctx.figures.push(
      figure({
        section: "archive",
        name: `${n} articles start-up (spawn → 200 on /)`,
        unit: "ms",
        value: size.startupMs,
        baselineName: isBase ? undefined : baselineName,
        baseline: isBase ? undefined : base.startupMs,
      }),
      figure({
        section: "archive",
        name: `${n} articles resident memory`,
        unit: "MiB",
        value: mib(size.rssBytes),
        baselineName: isBase ? undefined : baselineName,
        baseline: isBase ? undefined : mib(base.rssBytes),
        target:
          size.articles >= 10_000
            ? { text: `< ${MEMORY_LIMIT_MIB} MB`, test: (v) => v * 1.048576 < MEMORY_LIMIT_MIB }
            : undefined,
      }),
    );
  }
}
