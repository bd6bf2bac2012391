import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { onCpus } from "./cpus.ts";

const run = promisify(execFile);

/** One load run's outcome, as wrk measured it. */
export interface LoadResult {
  requests: number;
  durationS: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Connect/read/write errors, timeouts, and answers outside 2xx/3xx. */
  errors: number;
  bytes: number;
}

export interface LoadOptions {
  url: string;
  durationS: number;
  connections: number;
  threads: number;
  headers?: Record<string, string>;
  /** Where the small Lua reporting script is written. */
  workDir: string;
  /** Run wrk on these CPUs only (`taskset -c` list). */
  cpus?: string;
}

// wrk's `done` hook prints one JSON line, so nothing depends on its text layout.
const REPORT_LUA = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,"errors":%d}\\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
`;

/** True when `wrk` is on PATH. */
export async function hasWrk(): Promise<boolean> {
  try {
    await run("wrk", ["--version"]).catch((error: { stdout?: string }) => {
      // wrk prints its version and exits 1.
      if (!String(error.stdout ?? "").includes("wrk")) throw error;
    });
    return true;
  } catch {
    return false;
  }
}

/** Runs wrk against `url` from its own process; bounded by `durationS` (+ a timeout). */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const script = join(options.workDir, "report.lua");
  await writeFile(script, REPORT_LUA);
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    // wrk takes whole seconds only.
    `-d${Math.max(1, Math.round(options.durationS))}s`,
    "--timeout",
    "5s",
    "-s",
    script,
  ];
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    args.push("-H", `${name}: ${value}`);
  }
  args.push(options.url);
  const [file, argv] = onCpus(options.cpus, "wrk", args);
  const { stdout } = await run(file, argv, {
    timeout: (Math.max(1, options.durationS) + 30) * 1000,
    killSignal: "SIGKILL",
  });
  const line = stdout.split("\n").find((l) => l.startsWith("BENCHJSON "));
  if (!line) throw new Error(`wrk printed no report for ${options.url}:\n${stdout}`);
  return parseReport(line.slice("BENCHJSON ".length));
}

/** Turns the Lua hook's JSON line into a {@link LoadResult}. */
export function parseReport(json: string): LoadResult {
  const r = JSON.parse(json) as {
    requests: number;
    duration_us: number;
    bytes: number;
    p50_us: number;
    p99_us: number;
    errors: number;
  };
  const durationS = r.duration_us / 1e6;
  return {
    requests: r.requests,
    durationS,
    rps: durationS > 0 ? r.requests / durationS : 0,
    p50Ms: r.p50_us / 1000,
    p99Ms: r.p99_us / 1000,
    errors: r.errors,
    bytes: r.bytes,
  };
}
