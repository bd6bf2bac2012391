import { execFile } from "node:child_process";
import { availableParallelism } from "node:os";
import { promisify } from "node:util";

/**
 * Where the processes of a comparison run: every server on one CPU, the load
 * generator on the others. Unpinned on a two-CPU machine, the scheduler puts
 * wrk beside the server some seconds and not others, and a server with more
 * threads (Loa's delivery thread, V8's helpers) loses more to it than a bare
 * one does; pinned, each server has the same one CPU and wrk never shares it.
 */
export interface CpuPlan {
  /** `taskset -c` list for the servers under comparison. */
  servers: string;
  /** `taskset -c` list for wrk. */
  load: string;
}

/** The plan, or null when pinning is off, the machine has one CPU, or `taskset` is missing. */
export async function cpuPlan(enabled: boolean): Promise<CpuPlan | null> {
  const cpus = availableParallelism();
  if (!enabled || cpus < 2) return null;
  try {
    await promisify(execFile)("taskset", ["--version"]);
  } catch {
    return null;
  }
  return { servers: "0", load: cpus === 2 ? "1" : `1-${cpus - 1}` };
}

/**
 * `command args` run on `cpus` (`taskset` execs the command, so the pid is the
 * command's own: resident memory and CPU time read from /proc stay right).
 */
export function onCpus(
  cpus: string | undefined,
  command: string,
  args: readonly string[],
): [string, string[]] {
  return cpus ? ["taskset", ["-c", cpus, command, ...args]] : [command, [...args]];
}
