import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Context } from "../harness/context.ts";
import { cpuSeconds, start } from "../harness/processes.ts";
import { ROOT } from "../harness/server.ts";
import type { FanoutReceiver } from "./receiver-process.ts";

const wallNow = () => performance.timeOrigin + performance.now();

/** What the bare baseline (`bench/fanout/bare-client.ts`) reached against the same receiver. */
export interface BareRun {
  delivered: number;
  expected: number;
  /** First request → last answer, as the baseline measured it. */
  ms: number;
  rate: number;
  cpuS: number | null;
  receiverCpuS: number | null;
}

/** Runs the bare baseline once against `inboxes` of `receiver`. */
export async function bareOnce(
  ctx: Context,
  receiver: FanoutReceiver,
  inboxes: string[],
  threads: number,
  concurrency: number,
  label: string,
): Promise<BareRun | null> {
  await receiver.reset();
  const specFile = join(ctx.workDir, `bare-${label}.json`);
  await writeFile(
    specFile,
    JSON.stringify({ inboxes, threads, concurrency, keyId: "http://127.0.0.1:9/bare#key" }),
  );
  // A log of its own: the result line of an earlier run must not be read as this one's.
  const logFile = join(ctx.workDir, `bare-${label}.log`);
  const child = start(
    process.execPath,
    [join(ROOT, "bench", "fanout", "bare-client.ts"), specFile],
    {
      logFile,
    },
  );
  const rcpu0 = await cpuSeconds(receiver.pid);
  let cpu = await cpuSeconds(child.pid);
  let result: { ms: number; delivered: number } | null = null;
  const deadline = wallNow() + Math.max(60_000, inboxes.length * 30);
  while (result === null && wallNow() < deadline) {
    await sleep(100);
    cpu = (await cpuSeconds(child.pid)) ?? cpu;
    const line = (await readFile(logFile, "utf8").catch(() => ""))
      .split("\n")
      .find((l) => l.startsWith('{"ms"'));
    if (line) result = JSON.parse(line);
  }
  const rcpu1 = await cpuSeconds(receiver.pid);
  await child.stop();
  if (result === null) {
    ctx.log(`  bare baseline did not finish; see ${logFile}`);
    return null;
  }
  const run: BareRun = {
    delivered: result.delivered,
    expected: inboxes.length,
    ms: result.ms,
    rate: result.delivered / (result.ms / 1000),
    cpuS: cpu,
    receiverCpuS: rcpu0 !== null && rcpu1 !== null ? rcpu1 - rcpu0 : null,
  };
  ctx.log(
    `  bare: ${run.delivered}/${run.expected} in ${Math.round(run.ms)} ms (${Math.round(run.rate)}/s); CPU s: sender ${run.cpuS?.toFixed(1) ?? "—"}, receiver ${run.receiverCpuS?.toFixed(1) ?? "—"}`,
  );
  return run;
}
