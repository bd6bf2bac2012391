/**
 * Runs the real server as a separate process on loopback, with its content,
 * keys and data in temp dirs, for end-to-end tests. Restartable on the same
 * port and dirs (followers and ledger must survive).
 */

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "./ports.ts";

export interface TestServer {
  origin: string;
  port: number;
  keysDir: string;
  dataDir: string;
  /** Everything the process wrote to stdout/stderr so far (for failure messages). */
  output(): string;
  /** Starts the process (again) and waits until it answers. */
  start(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** Stops and removes the keys and data dirs. */
  cleanup(): Promise<void>;
  /** Sends `signal` and waits for the exit; resolves with the exit code (null if killed by a signal). */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export interface TestServerOptions {
  contentDir: string;
  /** The entry script, relative to the repo root. Default `src/main.ts`. */
  entry?: string;
  /** Extra environment variables for the server process (override the defaults above). */
  env?: Record<string, string>;
  /** Node options before the entry (e.g. `--import` of a test hook, which reaches every thread). */
  nodeArgs?: string[];
}

const ROOT = resolve(import.meta.dirname, "../..");

async function waitUntilAnswering(origin: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode != null) throw new Error(`server exited (${child.exitCode}):\n${log()}`);
    try {
      const res = await fetch(`${origin}/.well-known/nodeinfo`);
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not answer within 15 s:\n${log()}`);
}

export async function startServer(options: TestServerOptions): Promise<TestServer> {
  const base = await mkdtemp(join(tmpdir(), "loa-e2e-"));
  const keysDir = join(base, "keys");
  const dataDir = join(base, "data");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let out = "";
  const server: TestServer = {
    origin,
    port,
    keysDir,
    dataDir,
    output: () => out,
    async start() {
      const proc = spawn(
        join(ROOT, "node_modules/.bin/node"),
        [...(options.nodeArgs ?? []), join(ROOT, options.entry ?? "src/main.ts")],
        {
          cwd: base,
          env: {
            PATH: process.env.PATH,
            PORT: String(port),
            HOST: "127.0.0.1",
            ORIGIN: origin,
            CONTENT_DIR: options.contentDir,
            KEYS_DIR: keysDir,
            DATA_DIR: dataDir,
            ALLOW_PRIVATE_ADDRESS: "1",
            LOG_LEVEL: "warning",
            ...options.env,
          },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      child = proc;
      proc.stdout?.on("data", (d) => {
        out += String(d);
      });
      proc.stderr?.on("data", (d) => {
        out += String(d);
      });
      await waitUntilAnswering(origin, proc, () => out);
    },
    async stop() {
      const proc = child;
      child = null;
      if (proc == null || proc.exitCode != null) return;
      const exited = new Promise<void>((r) => proc.once("exit", () => r()));
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async kill(signal) {
      const proc = child;
      child = null;
      if (proc == null) return null;
      if (proc.exitCode != null) return proc.exitCode;
      const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
      proc.kill(signal);
      return await exited;
    },
    async cleanup() {
      await server.stop();
      await rm(base, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
