import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type Child, start } from "../harness/processes.ts";
import { ROOT } from "../harness/server.ts";
import type { ReceiverStats } from "./receiver.ts";
import type { ReceiverSpec } from "./receiver-main.ts";

/** A running receiver process: its origins and how to read its counts. */
export interface FanoutReceiver {
  pid: number;
  /** Origins that answer (in spec order). */
  live: string[];
  /** Origins that take a request and never answer. */
  hanging: string[];
  /** Origins whose port refuses connections. */
  refused: string[];
  stats(): Promise<ReceiverStats>;
  /** First arrival per live server (`host:port` → wall-clock ms). */
  arrivals(): Promise<Record<string, number>>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const origin = (port: number) => `http://127.0.0.1:${port}`;

/** Starts `bench/fanout/receiver-main.ts` with `spec` and waits for its port list. */
export async function startReceiver(
  workDir: string,
  label: string,
  spec: ReceiverSpec,
): Promise<FanoutReceiver> {
  const logFile = join(workDir, `receiver-${label}.log`);
  const child: Child = start(
    process.execPath,
    [join(ROOT, "bench", "fanout", "receiver-main.ts"), JSON.stringify(spec)],
    { logFile },
  );
  try {
    let layout: { ports: number[]; hanging: number[]; refused: number[] } | null = null;
    // Opening 10,000 listening sockets takes a few seconds on a slow machine.
    for (let i = 0; i < 1_200 && layout === null; i++) {
      const text = await readFile(logFile, "utf8").catch(() => "");
      const line = text.split("\n").find((l) => l.startsWith('{"ports"'));
      if (line) layout = JSON.parse(line);
      else await sleep(50);
    }
    if (layout === null) throw new Error(`the receiver did not start; see ${logFile}`);
    const control = origin(layout.ports[0] as number);
    const get = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${control}${path}`, { signal: AbortSignal.timeout(10_000) });
      return (await res.json()) as T;
    };
    return {
      pid: child.pid,
      live: layout.ports.map(origin),
      hanging: layout.hanging.map(origin),
      refused: layout.refused.map(origin),
      stats: () => get<ReceiverStats>("/_stats"),
      arrivals: () => get<Record<string, number>>("/_arrivals"),
      reset: async () => {
        await fetch(`${control}/_reset`, { method: "POST", signal: AbortSignal.timeout(10_000) });
      },
      stop: () => child.stop(),
    };
  } catch (error) {
    await child.stop(2_000);
    throw error;
  }
}
