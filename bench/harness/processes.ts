import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { onCpus } from "./cpus.ts";

/** A process the bench started; `stop()` ends it and waits for its exit. */
export interface Child {
  proc: ChildProcess;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

// Every child ever started, so that an error or Ctrl-C anywhere still ends them all.
const running = new Set<Child>();

export interface StartOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** stdout and stderr go here (appended), for the report on failure. */
  logFile: string;
  /** Run on these CPUs only (`taskset -c` list; see `cpus.ts`). */
  cpus?: string;
}

export function start(command: string, args: string[], options: StartOptions): Child {
  const log = createWriteStream(options.logFile, { flags: "a" });
  const [file, argv] = onCpus(options.cpus, command, args);
  const proc = spawn(file, argv, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout?.pipe(log, { end: false });
  proc.stderr?.pipe(log, { end: false });
  if (proc.pid === undefined) throw new Error(`could not start ${command}`);
  const exited = new Promise<number | string>((resolve) => {
    proc.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
    proc.once("error", (error) => resolve(String(error)));
  });
  const child: Child = {
    proc,
    pid: proc.pid,
    logFile: options.logFile,
    exited,
    async stop(graceMs = 10_000) {
      running.delete(child);
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill("SIGTERM");
        const done = await Promise.race([
          exited.then(() => true),
          sleep(graceMs).then(() => false),
        ]);
        if (!done) {
          proc.kill("SIGKILL");
          await exited;
        }
      }
      log.end();
    },
  };
  running.add(child);
  return child;
}

/** Ends every child still running: called on normal exit, on error and on signals. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((c) => c.stop(3_000)));
}

let hooked = false;
/** Makes Ctrl-C / SIGTERM of the bench end its children first. */
export function stopAllOnSignals(): void {
  if (hooked) return;
  hooked = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void stopAll().finally(() => process.exit(130));
    });
  }
  // Last resort when the bench dies anyway: no stray server keeps a port.
  process.once("exit", () => {
    for (const c of running) c.proc.kill("SIGKILL");
  });
}

/** A free loopback TCP port (the kernel picks it; we release it right away). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Polls `url` until it answers 200 (or `timeoutMs` passes, or the process exits).
 * Returns the milliseconds from `since` to that first 200.
 */
export async function waitFor200(
  url: string,
  child: Child | null,
  since: number,
  timeoutMs = 120_000,
): Promise<number> {
  let exited = false;
  void child?.exited.then(() => {
    exited = true;
  });
  while (performance.now() - since < timeoutMs) {
    if (exited) throw new Error(`process exited before ${url} answered; see ${child?.logFile}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - since;
    } catch {
      // Not listening yet.
    }
    await sleep(20);
  }
  throw new Error(
    `${url} did not answer 200 within ${timeoutMs} ms${child ? `; see ${child.logFile}` : ""}`,
  );
}

/** Resident memory of a process in bytes, from `/proc/<pid>/status` (VmRSS). */
export async function residentBytes(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m?.[1] ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The last lines of a child's log, for error messages. */
export async function tail(file: string, lines = 20): Promise<string> {
  try {
    return (await readFile(file, "utf8")).split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** CPU seconds (user + system) a process has used, from `/proc/<pid>/stat`. */
export async function cpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100; // USER_HZ is 100 on Linux.
  } catch {
    return null;
  }
}

/** CPU seconds all cores spent busy and in total so far, from `/proc/stat`. */
export async function machineCpu(): Promise<{ busyS: number; totalS: number } | null> {
  try {
    const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
    // cpu user nice system idle iowait irq softirq steal …
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busyS: (total - idle) / 100, totalS: total / 100 };
  } catch {
    return null;
  }
}

/**
 * Waits until the process uses under `maxShare` of a core for two windows in a
 * row (e.g. the server has finished reconciling its archive), at most `timeoutMs`.
 * Returns how long that took.
 */
export async function waitForIdle(
  pid: number,
  { windowMs = 500, maxShare = 0.05, timeoutMs = 120_000 } = {},
): Promise<number> {
  const t0 = performance.now();
  let quiet = 0;
  let last = await cpuSeconds(pid);
  while (performance.now() - t0 < timeoutMs && last !== null) {
    await sleep(windowMs);
    const now = await cpuSeconds(pid);
    if (now === null) break;
    quiet = (now - last) / (windowMs / 1000) < maxShare ? quiet + 1 : 0;
    last = now;
    if (quiet >= 2) break;
  }
  return performance.now() - t0;
}
