/**
 * `npm run status [-- --json] [-- --watch] [-- --limit N]`: followers, the
 * delivery queue and the latest activities' progress, read from the store the
 * server uses (`DATA_DIR` or `DATABASE_URL`, as `loadConfig` reads them). Safe
 * beside a running server: it only reads.
 */
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { ConfigError, loadConfig } from "../config.ts";
import { setupLogging } from "../logging.ts";
import { collectStatus, type StatusDeps } from "../operations/status.ts";
import { renderStatus } from "../operations/status-render.ts";
import { totalDepth } from "../storage/lanes.ts";
import { openStorage, type Storage, sqlitePath } from "../storage/open.ts";
import { parseCommand, runTool, type Tool, UsageError } from "./command.ts";

const TOOL: Tool = {
  name: "status",
  usage: `Usage: npm run status [-- --json] [-- --watch] [-- --limit N]
  --json     the same report as JSON (with --watch: one JSON document a line, every second)
  --watch    redraw every second until Ctrl-C
  --limit N  how many of the latest activities to show (default 10)`,
};

/** Cursor home, clear the screen; hide and show the cursor while redrawing. */
const CLEAR = "\x1b[H\x1b[2J";
const HIDE_CURSOR = "\x1b[?25l";
const SHOW_CURSOR = "\x1b[?25h";

interface Args {
  json: boolean;
  watch: boolean;
  limit: number;
}

function argsOf(argv: readonly string[]): Args {
  const { values, positionals } = parseCommand(argv, {
    json: { type: "boolean" },
    watch: { type: "boolean", short: "w" },
    limit: { type: "string" },
  });
  if (positionals.length > 0) throw new UsageError(`Unknown argument: ${positionals[0]}`);
  const limit = Number(values.limit ?? 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new UsageError("--limit takes a number from 1 to 1000");
  }
  return { json: values.json === true, watch: values.watch === true, limit };
}

async function open(): Promise<Storage> {
  const config = loadConfig();
  // Warnings and errors only, on stderr, so that --json output stays JSON.
  await setupLogging({
    logLevel: config.logLevel === "error" ? "error" : "warning",
    logFormat: config.logFormat,
  });
  if (!config.databaseUrl && !existsSync(sqlitePath(config.dataDir))) {
    throw new Error(
      `No store at ${sqlitePath(config.dataDir)}: has the server run with this DATA_DIR ` +
        "(or is DATABASE_URL missing)?",
    );
  }
  return openStorage(config);
}

async function main(argv: readonly string[]): Promise<number> {
  const args = argsOf(argv);

  let storage: Storage;
  let deps: StatusDeps;
  try {
    storage = await open();
    deps = {
      store: storage.store,
      queue: { getDepth: () => totalDepth(storage.lanes) },
      clock: () => new Date(),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(error instanceof ConfigError ? `Bad setting: ${message}` : message);
    return error instanceof ConfigError ? 2 : 1;
  }

  const once = async () => {
    const report = await collectStatus(deps, { activities: args.limit });
    if (args.json) return `${JSON.stringify(report, null, args.watch ? undefined : 2)}\n`;
    const color = process.stdout.isTTY === true && process.stdout.hasColors();
    return renderStatus(report, { width: process.stdout.columns ?? 80, color });
  };

  try {
    if (!args.watch) {
      process.stdout.write(await once());
      return 0;
    }
    return await watch(once, args.json);
  } catch (error) {
    console.error(
      `Could not read the status: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  } finally {
    await storage.close();
  }
}

/** Redraws every second until SIGINT or SIGTERM; a failed read shows and is retried. */
async function watch(once: () => Promise<string>, json: boolean): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const tty = process.stdout.isTTY === true && !json;
  if (tty) process.stdout.write(HIDE_CURSOR);
  try {
    while (!stop.signal.aborted) {
      let frame: string;
      try {
        frame = await once();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        frame = json ? "" : `Could not read the status (retrying): ${message}\n`;
        if (json) console.error(`Could not read the status (retrying): ${message}`);
      }
      // Clearing also when not a TTY keeps each frame delimited for a reader of the pipe.
      process.stdout.write(json ? frame : `${CLEAR}${frame}`);
      await sleep(1000, undefined, { signal: stop.signal }).catch(() => {});
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (tty) process.stdout.write(SHOW_CURSOR);
  }
  return 0;
}

await runTool(TOOL, () => main(process.argv.slice(2)));
