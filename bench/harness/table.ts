/**
 * Re-prints the results table of a saved run, recomputing every figure from its
 * raw cells: `node bench/harness/table.ts bench/results/<timestamp>.json`.
 */
import { readFile } from "node:fs/promises";
import { addFanoutFigures } from "../fanout/section.ts";
import { addNewsroomFigures } from "../newsroom/section.ts";
import type { BenchResult } from "../run.ts";
import { addArchiveFigures } from "../serving/archive.ts";
import { addFeedFigures } from "../serving/feeds.ts";
import { addMemoryFigures } from "../serving/memory.ts";
import type { Context } from "./context.ts";
import { formatTable } from "./report.ts";

const [file] = process.argv.slice(2);
if (!file) {
  console.error("usage: table.ts <results.json>");
  process.exit(2);
}
const result = JSON.parse(await readFile(file, "utf8")) as BenchResult;
const ctx = { figures: [] } as unknown as Context; // only `figures` is used by the add* functions
if (result.feeds) addFeedFigures(ctx, result.feeds.cells, result.feeds.paths);
if (result.archive) addArchiveFigures(ctx, result.archive.sizes);
if (result.fanout)
  addFanoutFigures(ctx, result.fanout.ceiling, result.fanout.runs, result.fanout.bare);
if (result.newsroom) addNewsroomFigures(ctx, result.newsroom);
if (result.memory) addMemoryFigures(ctx, result.memory.cases);
console.log(formatTable(ctx.figures));
