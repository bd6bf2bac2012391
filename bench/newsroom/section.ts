/**
 * Issue 18's benchmark: the same N articles served from the newsroom's store
 * and from files (article page, `/rss.xml`, `/`), the server's memory with
 * each, and the time from `publish` to the page and to a follower's inbox.
 */
import { join } from "node:path";
import { startReceiver } from "../fanout/receiver-process.ts";
import { generateContent } from "../harness/articles.ts";
import type { Context } from "../harness/context.ts";
import { waitForIdle } from "../harness/processes.ts";
import { figure } from "../harness/report.ts";
import { type LoaServer, startLoa } from "../harness/server.ts";
import { type Cell, measureCell, mib, pathLabel, warmUp } from "../serving/cells.ts";
import { addEditor, addFollower } from "./editor.ts";
import { median, type PublishRun, timePublishes } from "./publish.ts";
import { seedNewsroom } from "./seed.ts";

export type { PublishRun } from "./publish.ts";

export type Origin = "files" | "newsroom";

export interface NewsroomResult {
  articles: number;
  /** Seconds the one-transaction seeding of the store took. */
  seedS: number;
  startupMs: Record<Origin, number>;
  /** Resident memory after start-up and the load cells, once the server is idle (bytes). */
  rss: Record<Origin, number | null>;
  /** `server` is the origin of the articles. */
  cells: Cell[];
  publishes: PublishRun[];
  /** Why the publish timing failed, when it did (the serving figures stand). */
  publishError: string | null;
}

/**
 * Loads the paths on both servers, taking turns (files, newsroom, files…)
 * for `rounds` rounds, and keeps each cell's median by requests per second:
 * on a shared machine a side measured seconds later may see another load.
 */
async function serveBoth(
  ctx: Context,
  servers: Record<Origin, LoaServer>,
  paths: readonly string[],
): Promise<{ cells: Cell[]; rss: Record<Origin, number | null> }> {
  const sides = Object.entries(servers) as [Origin, LoaServer][];
  for (const [, loa] of sides) await waitForIdle(loa.child.pid);
  // Warm-up costs a second a path: only when the cells themselves are long enough to matter.
  if (ctx.options.durationS > 1) {
    for (const [name, loa] of sides) await warmUp(ctx, { name, origin: loa.origin }, paths);
  }
  const measured = new Map<string, Cell[]>();
  for (let round = 0; round < ctx.options.rounds; round++) {
    for (const path of paths) {
      for (const [name, loa] of sides) {
        const cell = await measureCell(ctx, { name, origin: loa.origin }, path, "200");
        if (!cell) continue;
        const key = `${name} ${path}`;
        measured.set(key, [...(measured.get(key) ?? []), cell]);
      }
    }
  }
  const cells = [...measured.values()].map((all) => {
    const sorted = [...all].sort((x, y) => x.rps - y.rps);
    const mid = sorted[Math.floor(sorted.length / 2)] as Cell;
    return { ...mid, articles: ctx.options.newsroomArticles };
  });
  const rss = {} as Record<Origin, number | null>;
  for (const [name, loa] of sides) {
    await waitForIdle(loa.child.pid);
    rss[name] = await loa.rss();
    ctx.log(`  ${name}: RSS after settle ${mib(rss[name])?.toFixed(1) ?? "—"} MiB`);
  }
  return { cells, rss };
}

export async function runNewsroom(ctx: Context): Promise<NewsroomResult> {
  const n = ctx.options.newsroomArticles;
  const dir = join(ctx.workDir, "newsroom");
  ctx.log(`newsroom: ${n} articles from files, then the same from the newsroom's store`);

  const files = await generateContent(join(dir, "files-content"), n);
  const paths = [`/articles/${files.slugs[0]}`, "/rss.xml", "/"];
  // The newsroom's side: a content dir with site.yml and no article, and the store.
  const empty = await generateContent(join(dir, "newsroom-content"), 0);
  const dataDir = join(dir, "newsroom-data");
  const t0 = performance.now();
  const slugs = await seedNewsroom(dataDir, n);
  const seedS = (performance.now() - t0) / 1000;
  ctx.log(`  seeded ${slugs.length} newsroom articles in ${seedS.toFixed(2)} s`);
  if (slugs[0] !== files.slugs[0]) throw new Error("the two sides' newest articles differ");
  await addEditor(dataDir);
  // The follower is there from the start: the seeded articles are older than a
  // day, so the publisher records them without pushing (BACKDATED_MS), and
  // only the articles published below reach the inbox.
  const receiver = await startReceiver(dir, "newsroom", { live: 1, sampleEvery: 1 });
  let fileLoa: LoaServer | null = null;
  let newsLoa: LoaServer | null = null;
  let publishes: PublishRun[] = [];
  let publishError: string | null = null;
  let served: Awaited<ReturnType<typeof serveBoth>>;
  try {
    await addFollower(dataDir, receiver.live[0] as string);
    // Both start at once: neither waits for the other's start-up.
    const [f, s] = await Promise.allSettled([
      startLoa({
        contentDir: files.dir,
        keysDir: ctx.keysDir,
        dataDir: join(dir, "files-data"),
        workDir: dir,
        label: "newsroom-files",
      }),
      startLoa({
        contentDir: empty.dir,
        keysDir: ctx.keysDir,
        dataDir,
        workDir: dir,
        label: "newsroom-store",
        // `--profile`: the newsroom's server, where a publish's reload runs.
        ...(ctx.options.profile
          ? {
              nodeFlags: [
                "--cpu-prof",
                `--cpu-prof-dir=${join(ctx.workDir, "profiles", "newsroom")}`,
              ],
            }
          : {}),
      }),
    ]);
    if (f.status === "fulfilled") fileLoa = f.value;
    if (s.status === "fulfilled") newsLoa = s.value;
    if (f.status === "rejected") throw f.reason;
    if (s.status === "rejected") throw s.reason;
    const both = { files: f.value, newsroom: s.value };
    served = await serveBoth(ctx, both, paths);
    await fileLoa?.stop();
    // Publishing changes what the newsroom serves: timed after its cells and memory.
    try {
      publishes = await timePublishes(
        ctx,
        both.newsroom,
        receiver,
        ctx.options.publishRuns,
        publishes,
      );
    } catch (error) {
      publishError = error instanceof Error ? error.message : String(error);
      ctx.log(`  publish timing failed: ${publishError}`);
    }
  } finally {
    await fileLoa?.stop();
    await newsLoa?.stop();
    await receiver.stop();
  }

  const result: NewsroomResult = {
    articles: n,
    seedS,
    startupMs: { files: fileLoa?.startupMs ?? 0, newsroom: newsLoa?.startupMs ?? 0 },
    rss: served.rss,
    cells: served.cells,
    publishes,
    publishError,
  };
  addNewsroomFigures(ctx, result);
  return result;
}

/** The section's figures, from its raw result (also used to re-print a saved run). */
export function addNewsroomFigures(ctx: Pick<Context, "figures">, r: NewsroomResult): void {
  const of = (origin: Origin, path: string) =>
    r.cells.find((c) => c.server === origin && c.path === path);
  for (const path of new Set(r.cells.map((c) => c.path))) {
    const news = of("newsroom", path);
    const file = of("files", path);
    ctx.figures.push(
      figure({
        section: "newsroom",
        name: `${pathLabel(path)} 200 req/s, ${r.articles} newsroom articles`,
        unit: "req/s",
        value: news?.rps ?? null,
        baselineName: `${r.articles} files`,
        baseline: file?.rps ?? null,
        target: { text: "≥ 0.9× files", test: (_, ratio) => ratio !== null && ratio >= 0.9 },
      }),
    );
  }
  ctx.figures.push(
    figure({
      section: "newsroom",
      name: `RSS after settle, ${r.articles} newsroom articles`,
      unit: "MiB",
      value: mib(r.rss.newsroom),
      baselineName: `${r.articles} files`,
      baseline: mib(r.rss.files),
    }),
  );
  const runs = r.publishes.length;
  const under1s = { text: "< 1,000 ms", test: (v: number) => v < 1_000 };
  ctx.figures.push(
    figure({
      section: "newsroom",
      name: `publish → article page, median of ${runs}`,
      unit: "ms",
      value: median(r.publishes.map((p) => p.pageMs)),
      target: under1s,
    }),
    figure({
      section: "newsroom",
      name: `publish → first delivery, median of ${runs}`,
      unit: "ms",
      value: median(r.publishes.map((p) => p.deliveryMs)),
      target: under1s,
    }),
  );
}
