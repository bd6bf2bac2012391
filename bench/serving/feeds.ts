import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { generateContent, TAG_FEED_PATH, TAG_PAGE_PATH } from "../harness/articles.ts";
import type { Context } from "../harness/context.ts";
import { type Child, freePort, start, waitFor200, waitForIdle } from "../harness/processes.ts";
import { figure } from "../harness/report.ts";
import { ROOT, startLoa } from "../harness/server.ts";
import { type Cell, measureCell, pathLabel, probe, type Target, warmUp } from "./cells.ts";
import { ensureNginx, NGINX, writeNginxConfig } from "./nginx.ts";
import { takeSnapshot } from "./snapshot.ts";

export interface FeedsResult {
  articles: number;
  paths: string[];
  nginxVersion: string | null;
  cells: Cell[];
  /** Response sizes in bytes, by path. */
  bytes: Record<string, number>;
}

/**
 * Feeds and pages, full and 304, on the server under test, nginx serving the same
 * bytes as static files, and a bare node:http server answering them from memory.
 */
export async function runFeeds(ctx: Context): Promise<FeedsResult> {
  const dir = join(ctx.workDir, "feeds");
  const snapDir = join(dir, "snapshot");
  await mkdir(snapDir, { recursive: true });
  const content = await generateContent(join(dir, "content"), ctx.options.feedArticles);
  // Placeholders: the newest article, the month archive of the middle one, one tag's feed and page.
  const named: Record<string, string> = {
    article: `/articles/${content.slugs[0]}`,
    archive: content.archiveOf(Math.floor(ctx.options.feedArticles / 2)),
    tag: TAG_FEED_PATH,
    tagpage: TAG_PAGE_PATH,
  };
  const paths = (ctx.options.paths ?? DEFAULT_PATHS).map((p) => named[p] ?? p);
  // `/` always: the baselines' readiness check asks for it.
  const served = paths.includes("/") ? paths : [...paths, "/"];

  ctx.log(`feeds: ${ctx.options.feedArticles} articles; starting Loa`);
  const loa = await startLoa({
    contentDir: content.dir,
    keysDir: ctx.keysDir,
    dataDir: join(dir, "data"),
    workDir: dir,
    label: "feeds",
    nodeFlags: ctx.options.profile
      ? [`--cpu-prof`, `--cpu-prof-dir=${join(ctx.workDir, "profiles")}`]
      : [],
  });
  const children: Child[] = [loa.child];
  try {
    // Reconciling the archive at start-up is not what is measured here.
    await waitForIdle(loa.child.pid);
    const entries = await takeSnapshot(loa.origin, served, snapDir);
    const bytes = Object.fromEntries(entries.map((e) => [e.path, e.bytes]));
    const targets: Target[] = [{ name: "loa", origin: loa.origin }];
    let nginxVersion: string | null = null;

    if (ctx.options.baselines.includes("nginx")) {
      nginxVersion = await ensureNginx(ctx.log);
      const port = await freePort();
      const args = await writeNginxConfig(snapDir, port, entries);
      const nginx = start(NGINX, args, { logFile: join(dir, "nginx.log") });
      children.push(nginx);
      const origin = `http://127.0.0.1:${port}`;
      await waitFor200(`${origin}/`, nginx, performance.now(), 20_000);
      targets.push({ name: "nginx", origin });
    }
    if (ctx.options.baselines.includes("node")) {
      const port = await freePort();
      const node = start(
        process.execPath,
        [join(ROOT, "bench", "serving", "static-server.ts"), snapDir, String(port)],
        { logFile: join(dir, "static-server.log") },
      );
      children.push(node);
      const origin = `http://127.0.0.1:${port}`;
      await waitFor200(`${origin}/`, node, performance.now(), 20_000);
      targets.push({ name: "node", origin });
    }
    // The baselines must serve exactly what Loa served.
    for (const t of targets.slice(1)) {
      for (const e of entries) {
        const got = await probe(t.origin, e.path);
        if (got.status !== 200 || got.bytes !== e.bytes) {
          throw new Error(
            `${t.name} serves ${e.path} as ${got.status}, ${got.bytes} bytes; expected ${e.bytes}`,
          );
        }
      }
    }
    // Settle after reconciling the archive, then warm every server up.
    for (const t of targets) await warmUp(ctx, t, [paths[0] ?? "/"]);

    const cells: Cell[] = [];
    for (const path of paths) {
      for (const mode of ["200", "304"] as const) {
        const rounds = new Map<string, Cell[]>(targets.map((t) => [t.name, []]));
        for (let round = 0; round < ctx.options.rounds; round++) {
          for (const t of targets) {
            const cell = await measureCell(ctx, t, path, mode);
            if (cell) rounds.get(t.name)?.push(cell);
          }
        }
        for (const measured of rounds.values()) {
          const cell = medianCell(measured);
          if (cell) cells.push(cell);
        }
      }
    }
    addFeedFigures(ctx, cells, paths);
    return { articles: ctx.options.feedArticles, paths, nginxVersion, cells, bytes };
  } finally {
    for (const c of children.reverse()) await c.stop();
  }
}

/** The median of a cell's rounds (by req/s; latencies are each their own median). */
function medianCell(rounds: readonly Cell[]): Cell | null {
  if (rounds.length === 0) return null;
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2
      ? (sorted[mid] ?? 0)
      : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  };
  const first = rounds[0] as Cell;
  if (rounds.length === 1) return first;
  return {
    ...first,
    requests: rounds.reduce((n, c) => n + c.requests, 0),
    rps: median(rounds.map((c) => c.rps)),
    p50Ms: median(rounds.map((c) => c.p50Ms)),
    p99Ms: median(rounds.map((c) => c.p99Ms)),
    errors: rounds.reduce((n, c) => n + c.errors, 0),
  };
}

/** Every cell a run measures unless `--paths` says otherwise. */
export const DEFAULT_PATHS = [
  "/rss.xml",
  "/atom.xml",
  "/feed.json",
  "/",
  "article",
  "archive",
  "tag",
  "tagpage",
] as const;

/** The cell every other is set beside: a page or feed under 0.8× of it is flagged. */
const FEED = "/rss.xml";
const FEED_SHARE = 0.8;

/** Figures for the table (exported so a saved result can be re-tabled). */
export function addFeedFigures(
  ctx: Context,
  cells: readonly Cell[],
  paths: readonly string[],
): void {
  const find = (server: string, path: string, mode: string) =>
    cells.find((c) => c.server === server && c.path === path && c.mode === mode);
  for (const path of paths) {
    const label = pathLabel(path);
    for (const mode of ["200", "304"] as const) {
      const loa = find("loa", path, mode);
      const nginx = find("nginx", path, mode);
      const node = find("node", path, mode);
      const full = find("loa", path, "200");
      const name = `${label} ${mode}`;
      ctx.figures.push(
        figure({
          section: "feeds",
          name: `${name} req/s`,
          unit: "req/s",
          value: loa?.rps ?? null,
          baselineName: "nginx",
          baseline: nginx?.rps,
          target: {
            text: mode === "200" ? "≥ 0.5× nginx" : "≥ 0.5× nginx and > Loa's 200",
            test: (v, r) =>
              r !== null && r >= 0.5 && (mode === "200" || (full ? v > full.rps : false)),
          },
        }),
        figure({
          section: "feeds",
          name: `${name} req/s`,
          unit: "req/s",
          value: loa?.rps ?? null,
          baselineName: "node:http",
          baseline: node?.rps,
          target: { text: "≥ 0.9× node:http", test: (_v, r) => r !== null && r >= 0.9 },
        }),
        figure({
          section: "feeds",
          name: `${name} p50`,
          unit: "ms",
          value: loa?.p50Ms ?? null,
          baselineName: "nginx",
          baseline: nginx?.p50Ms,
        }),
        figure({
          section: "feeds",
          name: `${name} p99`,
          unit: "ms",
          value: loa?.p99Ms ?? null,
          baselineName: "nginx",
          baseline: nginx?.p99Ms,
        }),
      );
      // Each page beside the feed, so a page that falls off the fast path shows at once.
      const feed = find("loa", FEED, mode);
      if (path !== FEED && feed) {
        ctx.figures.push(
          figure({
            section: "feeds",
            name: `${name} req/s`,
            unit: "req/s",
            value: loa?.rps ?? null,
            baselineName: `Loa's ${FEED} ${mode}`,
            baseline: feed.rps,
            target: {
              text: `≥ ${FEED_SHARE}× ${FEED}`,
              test: (_v, r) => r !== null && r >= FEED_SHARE,
            },
          }),
        );
      }
    }
  }
}
