import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Context } from "../harness/context.ts";
import { type LoadResult, load } from "../harness/wrk.ts";

/** A server one can load: the one under test or a baseline. */
export interface Target {
  name: string;
  origin: string;
  /** Where wrk runs when loading it (`taskset -c` list); anywhere if unset. */
  loadCpus?: string;
}

export type Mode = "200" | "304";

/** One measured cell: a server, a path, full responses or revalidations. */
export interface Cell extends LoadResult {
  server: string;
  path: string;
  mode: Mode;
  /** The ETag sent as `If-None-Match` in a 304 cell. */
  etag: string | null;
  /** Archive size, for archive cells. */
  articles?: number;
  /**
   * req/s of each round, by round (null: not measured that round), when the
   * cell is the median of several; a ratio to a baseline is then the median of
   * the rounds' own ratios, each of two servers measured back to back.
   */
  rounds?: (number | null)[];
}

/** GETs `path` once; returns its status and ETag. */
export async function probe(
  origin: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; etag: string | null; bytes: number }> {
  // As wrk asks: no compression (fetch would otherwise ask for gzip and get
  // the gzip variant's ETag, which wrk's uncompressed requests never match).
  const res = await fetch(new URL(path, origin), {
    headers: { "Accept-Encoding": "identity", ...headers },
    signal: AbortSignal.timeout(30_000),
  });
  const body = await res.arrayBuffer();
  return { status: res.status, etag: res.headers.get("etag"), bytes: body.byteLength };
}

/**
 * Loads one cell with wrk. For a 304 cell, first checks that the server really
 * answers 304 to its own ETag; if it does not, the cell is skipped (null) and
 * the reason logged, rather than measuring full responses under a 304 label.
 */
export async function measureCell(
  ctx: Context,
  target: Target,
  path: string,
  mode: Mode,
  durationS = ctx.options.durationS,
  /** Sent with every request, e.g. `Accept-Encoding: gzip` as browsers send it. */
  extraHeaders: Record<string, string> = {},
): Promise<Cell | null> {
  let etag: string | null = null;
  const headers: Record<string, string> = { ...extraHeaders };
  const first = await probe(target.origin, path, headers);
  if (first.status !== 200) {
    ctx.log(`  ${target.name} ${path}: answered ${first.status}; skipped`);
    return null;
  }
  if (mode === "304") {
    etag = first.etag;
    if (!etag) {
      ctx.log(`  ${target.name} ${path}: no ETag; 304 cell skipped`);
      return null;
    }
    headers["If-None-Match"] = etag;
    const again = await probe(target.origin, path, headers);
    if (again.status !== 304) {
      ctx.log(`  ${target.name} ${path}: If-None-Match answered ${again.status}; 304 cell skipped`);
      return null;
    }
  }
  const workDir = join(ctx.workDir, "wrk");
  await mkdir(workDir, { recursive: true });
  const run = () =>
    load({
      url: new URL(path, target.origin).href,
      durationS,
      connections: ctx.options.connections,
      threads: ctx.options.threads,
      headers,
      workDir,
      cpus: target.loadCpus,
    });
  let result = await run();
  // No answer in a whole cell is a stall (a collection, a neighbour on a shared machine),
  // not a throughput: measure it once more rather than print a zero as a figure.
  if (result.requests === 0) {
    ctx.log(`  ${target.name} ${path}: no answer in ${durationS} s; measured again`);
    result = await run();
  }
  ctx.log(
    `  ${target.name.padEnd(6)} ${mode} ${path.padEnd(28)} ${Math.round(result.rps)
      .toString()
      .padStart(7)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms` +
      (result.errors ? `  (${result.errors} errors)` : ""),
  );
  return { ...result, server: target.name, path, mode, etag };
}

/**
 * A short unrecorded load of each path, full and then 304 (when the server gives
 * an ETag), so JIT and caches are warm before the first cell. Why both: the first
 * 304 cell of a round had been where Loa's own 304 code first ran hot, with its
 * compilations (and Node's deoptimizations of the first second of load) inside the
 * figure, while a bare server has little code to warm.
 */
export async function warmUp(
  ctx: Context,
  target: Target,
  paths: readonly string[],
): Promise<void> {
  for (const path of paths) {
    await measureCellQuiet(ctx, target, path, {});
    const { etag } = await probe(target.origin, path);
    if (etag) await measureCellQuiet(ctx, target, path, { "If-None-Match": etag });
  }
}

async function measureCellQuiet(
  ctx: Context,
  target: Target,
  path: string,
  headers: Record<string, string>,
): Promise<void> {
  const workDir = join(ctx.workDir, "wrk");
  await mkdir(workDir, { recursive: true });
  await load({
    url: new URL(path, target.origin).href,
    durationS: 1,
    connections: ctx.options.connections,
    threads: ctx.options.threads,
    headers,
    workDir,
    cpus: target.loadCpus,
  });
}

/**
 * A path as the results table names it: an article, a month archive or a tag
 * feed by its template, so cells of different runs and sizes line up.
 */
export function pathLabel(path: string): string {
  if (path.startsWith("/articles/")) return "/articles/{slug}";
  if (path.startsWith("/archives/")) return path.replace(/\/\d{4}\/\d{2}\//, "/{yyyy}/{mm}/");
  if (/^\/tags\/[^/]+\/[^/]+$/.test(path)) return path.replace(/^\/tags\/[^/]+\//, "/tags/{tag}/");
  return path;
}

export const mib = (bytes: number | null) => (bytes === null ? null : bytes / (1024 * 1024));
