import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { SETTLE_AFTER_MS } from "../../src/operations/settle-memory.ts";
import { childEnv } from "./env.ts";
import {
  type Child,
  freePort,
  residentBytes,
  start,
  tail,
  waitFor200,
  waitForIdle,
} from "./processes.ts";

/** The repository root (the bench runs `src/main.ts` from here). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** A running Loa server under test. */
export interface LoaServer {
  child: Child;
  origin: string;
  /** Spawn → first 200 on `/`, in ms. */
  startupMs: number;
  rss(): Promise<number | null>;
  /**
   * Resolves once start-up is over: the server's one memory-reducing collection
   * (`settle-memory.ts`, a pause of 0.1–0.5 s) has run and the process is idle.
   * Serving cells measured before it caught that pause in their first seconds.
   */
  steady(): Promise<void>;
  stop(): Promise<void>;
}

export interface LoaOptions {
  contentDir: string;
  keysDir: string;
  dataDir: string;
  /** Where its log goes. */
  workDir: string;
  databaseUrl?: string;
  /** Extra `node` flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** `all` (default), `web` or `worker`. */
  role?: string;
  label: string;
  /** The port (default: a free one); a restart on the same origin passes the first one's. */
  port?: number;
  /** Further settings for the server, e.g. `WEBSUB_MAX_PER_HOST`. */
  env?: Record<string, string>;
  /** Run on these CPUs only (`taskset -c` list). */
  cpus?: string;
}

/** Starts `node src/main.ts` on a free loopback port and waits for a 200 on `/`. */
export async function startLoa(options: LoaOptions): Promise<LoaServer> {
  await mkdir(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: "127.0.0.1",
    ORIGIN: origin,
    CONTENT_DIR: options.contentDir,
    KEYS_DIR: options.keysDir,
    DATA_DIR: options.dataDir,
    ALLOW_PRIVATE_ADDRESS: "1",
    LOG_LEVEL: "warning",
    LOG_FORMAT: "json",
  };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  Object.assign(env, options.env);
  const logFile = join(options.workDir, `loa-${options.label}.log`);
  const t0 = performance.now();
  // cwd is the work dir, so a developer's `.env` in the repository is not read.
  const child = start(
    process.execPath,
    [
      ...nodeFlagsOfStartScript(),
      ...(options.nodeFlags ?? []),
      join(ROOT, "src", "main.ts"),
      ...(options.role ? [options.role] : []),
    ],
    { cwd: options.workDir, env: childEnv(env), logFile, cpus: options.cpus },
  );
  let startupMs: number;
  try {
    startupMs = await waitFor200(`${origin}/`, child, t0, 300_000);
  } catch (error) {
    await child.stop(2_000);
    throw new Error(`${(error as Error).message}\n${await tail(logFile)}`);
  }
  const readyAt = performance.now();
  return {
    child,
    origin,
    startupMs,
    rss: () => residentBytes(child.pid),
    steady: async () => {
      await sleep(Math.max(0, readyAt + SETTLE_AFTER_MS + 500 - performance.now()));
      await waitForIdle(child.pid, { timeoutMs: 300_000 });
    },
    stop: () => child.stop(),
  };
}

/**
 * The V8 flags `npm start` gives Node (package.json's `start` script), so the
 * bench measures the server as operators run it.
 */
function nodeFlagsOfStartScript(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  return (
    (pkg.scripts.start ?? "")
      .split(/\s+/)
      .filter((word) => word.startsWith("--"))
      // The server runs in a work dir: a module the script preloads is the repository's.
      .map((word) =>
        word.startsWith("--import=./")
          ? `--import=${pathToFileURL(join(ROOT, word.slice("--import=".length))).href}`
          : word,
      )
  );
}
