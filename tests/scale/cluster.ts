/**
 * A scale-out deployment on loopback: web and worker processes of the real
 * server sharing one PostgreSQL database, one content dir and one keys dir,
 * behind a small reverse proxy that is their public ORIGIN.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { freePort } from "../helpers/ports.ts";

const ROOT = resolve(import.meta.dirname, "../..");

export interface Proc {
  name: string;
  port: number | null;
  child: ChildProcess;
  output(): string;
}

export interface ClusterOptions {
  /** Empty: the embedded SQLite store in `dataDir`. */
  databaseUrl: string;
  contentDir: string;
  keysDir: string;
  dataDir: string;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return (server.address() as AddressInfo).port;
}

/** The reverse proxy: inbox POSTs go to the first web process, reads alternate. */
export class ReverseProxy {
  readonly server: Server;
  port = 0;
  #backends: number[] = [];
  #turn = 0;

  constructor() {
    this.server = createServer((req, res) => {
      const target = req.method === "POST" ? this.#backends[0] : this.#next();
      const upstream = request(
        {
          host: "127.0.0.1",
          port: target,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (up: IncomingMessage) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on("error", () => {
        res.writeHead(502).end();
      });
      req.pipe(upstream);
    });
  }

  #next(): number | undefined {
    this.#turn = (this.#turn + 1) % Math.max(1, this.#backends.length);
    return this.#backends[this.#turn];
  }

  async start(): Promise<string> {
    this.port = await listen(this.server);
    return `http://127.0.0.1:${this.port}`;
  }

  route(ports: number[]): void {
    this.#backends = ports;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** Starts one process of the real server and, unless it is a worker, waits until it answers. */
export async function spawnRole(
  name: string,
  role: "all" | "web" | "worker",
  origin: string,
  options: ClusterOptions,
  extraEnv: Record<string, string> = {},
): Promise<Proc> {
  const port = role === "worker" ? null : await freePort();
  let out = "";
  const child = spawn(join(ROOT, "node_modules/.bin/node"), [join(ROOT, "src/main.ts"), role], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      ORIGIN: origin,
      HOST: "127.0.0.1",
      PORT: String(port ?? 0),
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      CONTENT_DIR: options.contentDir,
      KEYS_DIR: options.keysDir,
      DATA_DIR: options.dataDir,
      ALLOW_PRIVATE_ADDRESS: "1",
      LOG_LEVEL: "warning",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => {
    out += String(d);
  });
  child.stderr?.on("data", (d) => {
    out += String(d);
  });
  const proc = { name, port, child, output: () => out };
  if (port !== null) await waitForHttp(proc);
  return proc;
}

async function waitForHttp(proc: Proc): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) {
      throw new Error(`${proc.name} exited (${proc.child.exitCode}):\n${proc.output()}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${proc.port}/.well-known/nodeinfo`);
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${proc.name} did not answer within 20 s:\n${proc.output()}`);
}

export async function stop(proc: Proc, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return proc.child.exitCode;
  const exited = new Promise<number | null>((r) => proc.child.once("exit", (code) => r(code)));
  proc.child.kill(signal);
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), 15_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}
