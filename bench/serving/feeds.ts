import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { generateContent, TAG_FEED_PATH, TAG_PAGE_PATH } from "../harness/articles.ts";
import type { Context } from "../harness/context.ts";
import { cpuPlan } from "../harness/cpus.ts";
import { type Child, freePort, start, waitFor200 } from "../harness/processes.ts";
import { figure } from "../harness/report.ts";
import { ROOT, startLoa } from "../harness/server.ts";
import { type Cell, measureCell, pathLabel, probe, type Target, warmUp } from "./cells.ts";
import { ensureNginx, NGINX, writeNginxConfig } from "./nginx.ts";
import { readManifest, takeSnapshot } from "./snapshot.ts";

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
 *
 * Each round starts every server afresh (Loa on the same port and data, so its
 * bytes, validators included, are the first round's), and in each cell measures
 * the servers back to back, the order reversed from one cell to the next. Why: on
 * a shared two-CPU machine one server's figure moves by a third from one minute to
 * the next, and one Loa process can run a fifth slower than another start of the
 * same build for its whole life; the median over rounds of separate processes of
 * ratios taken seconds apart holds still where a ratio of two medians did not.
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
  const cpus = await cpuPlan(ctx.options.pin);
  ctx.log(
    `feeds: ${ctx.options.feedArticles} articles, ${ctx.options.rounds} round(s); ` +
      (cpus ? `servers on CPU ${cpus.servers}, wrk on ${cpus.load}` : "unpinned"),
  );
  const ports = {
    loa: await freePort(),
    nginx: await freePort(),
    node: await freePort(),
    control: await freePort(),
  };
  let nginxVersion: string | null = null;
  let bytes: Record<string, number> = {};
  const perRound: Cell[][] = [];
  for (let round = 0; round < ctx.options.rounds; round++) {
    ctx.log(`feeds: round ${round + 1} of ${ctx.options.rounds}: starting the servers`);
    const loa = await startLoa({
      contentDir: content.dir,
      keysDir: ctx.keysDir,
      dataDir: join(dir, "data"),
      workDir: dir,
      label: "feeds",
      port: ports.loa,
      cpus: cpus?.servers,
      nodeFlags: ctx.options.profile
        ? [`--cpu-prof`, `--cpu-prof-dir=${join(ctx.workDir, "profiles", `round-${round + 1}`)}`]
        : [],
    });
    const children: Child[] = [loa.child];
    const targets: Target[] = [{ name: "loa", origin: loa.origin, loadCpus: cpus?.load }];
    const baseline = async (name: string, child: Child, port: number) => {
      children.push(child);
      const origin = `http://127.0.0.1:${port}`;
      await waitFor200(`${origin}/`, child, performance.now(), 20_000);
      targets.push({ name, origin, loadCpus: cpus?.load });
    };
    try {
      // Start-up (reconciling the archive, the one collection after it) is not measured here.
      await loa.steady();
      // The first round's bytes are every round's: the baselines serve this snapshot.
      if (round === 0) {
        const entries = await takeSnapshot(loa.origin, served, snapDir);
        bytes = Object.fromEntries(entries.map((e) => [e.path, e.bytes]));
      }
      if (ctx.options.baselines.includes("nginx")) {
        nginxVersion = await ensureNginx(ctx.log);
        const args = await writeNginxConfig(snapDir, ports.nginx, await readManifest(snapDir));
        const logFile = join(dir, "nginx.log");
        await baseline("nginx", start(NGINX, args, { logFile, cpus: cpus?.servers }), ports.nginx);
      }
      // The control is the same bare server again: Loa's ratio to `node` means as much as the control's does.
      for (const name of ["node", "control"] as const) {
        if (!ctx.options.baselines.includes(name)) continue;
        const script = join(ROOT, "bench", "serving", "static-server.ts");
        const bare = start(process.execPath, [script, snapDir, String(ports[name])], {
          logFile: join(dir, `static-server-${name}.log`),
          cpus: cpus?.servers,
        });
        await baseline(name, bare, ports[name]);
      }
      // Every server serves exactly the bytes Loa served first.
      for (const t of targets) {
        for (const [path, expected] of Object.entries(bytes)) {
          const got = await probe(t.origin, path);
          if (got.status !== 200 || got.bytes !== expected) {
            throw new Error(
              `${t.name} serves ${path} as ${got.status}, ${got.bytes} bytes; expected ${expected}`,
            );
          }
        }
      }
      for (const t of targets) await warmUp(ctx, t, [paths[0] ?? "/"]);
      const cells: Cell[] = [];
      let turn = round;
      for (const path of paths) {
        for (const mode of ["200", "304"] as const) {
          const order = turn++ % 2 === 0 ? targets : [...targets].reverse();
          for (const t of order) {
            const cell = await measureCell(ctx, t, path, mode);
            if (cell) cells.push(cell);
          }
        }
      }
      perRound.push(cells);
    } finally {
      for (const c of children.reverse()) await c.stop();
    }
  }
  const cells = mergeRounds(perRound);
  addFeedFigures(ctx, cells, paths);
  return { articles: ctx.options.feedArticles, paths, nginxVersion, cells, bytes };
}

/**
 * One cell per server, path and mode: the median of its rounds by req/s
 * (latencies each their own median), every round's req/s kept in `rounds`
 * for the paired ratios.
 */
export function mergeRounds(perRound: readonly (readonly Cell[])[]): Cell[] {
  const key = (c: Cell) => `${c.server} ${c.path} ${c.mode}`;
  const keys = [...new Set(perRound.flatMap((cells) => cells.map(key)))];
  const merged: Cell[] = [];
  for (const k of keys) {
    const measured = perRound.map((cells) => cells.find((c) => key(c) === k) ?? null);
    const present = measured.filter((c): c is Cell => c !== null);
    const first = present[0];
    if (!first) continue;
    merged.push({
      ...first,
      requests: present.reduce((n, c) => n + c.requests, 0),
      rps: median(present.map((c) => c.rps)),
      p50Ms: median(present.map((c) => c.p50Ms)),
      p99Ms: median(present.map((c) => c.p99Ms)),
      errors: present.reduce((n, c) => n + c.errors, 0),
      rounds: measured.map((c) => c?.rps ?? null),
    });
  }
  return merged;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * `a` over `b`: the median of the rounds' own ratios where both cells carry
 * rounds (each pair measured back to back), else the ratio of the two figures
 * (a result saved before rounds were kept).
 */
export function pairedRatio(a: Cell | undefined, b: Cell | undefined): number | null {
  if (!a || !b) return null;
  const ratios: number[] = [];
  const n = Math.min(a.rounds?.length ?? 0, b.rounds?.length ?? 0);
  for (let i = 0; i < n; i++) {
    const x = a.rounds?.[i];
    const y = b.rounds?.[i];
    if (typeof x === "number" && typeof y === "number" && y > 0) ratios.push(x / y);
  }
  if (ratios.length > 0) return median(ratios);
  return b.rps > 0 ? a.rps / b.rps : null;
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
      const control = find("control", path, mode);
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
          ratio: pairedRatio(loa, nginx),
          target: {
            text: mode === "200" ? "≥ 0.5× nginx" : "≥ 0.5× nginx and > Loa's 200",
            test: (_v, r) =>
              r !== null && r >= 0.5 && (mode === "200" || (pairedRatio(loa, full) ?? 0) > 1),
          },
        }),
        figure({
          section: "feeds",
          name: `${name} req/s`,
          unit: "req/s",
          value: loa?.rps ?? null,
          baselineName: "node:http",
          baseline: node?.rps,
          ratio: pairedRatio(loa, node),
          target: { text: "≥ 0.9× node:http", test: (_v, r) => r !== null && r >= 0.9 },
        }),
        ...(control
          ? [
              figure({
                section: "feeds",
                name: `${name} req/s (control: node:http again)`,
                unit: "req/s",
                value: control.rps,
                baselineName: "node:http",
                baseline: node?.rps,
                ratio: pairedRatio(control, node),
              }),
            ]
          : []),
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
            ratio: pairedRatio(loa, feed),
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
