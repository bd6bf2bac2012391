/**
 * A free TCP port for a server process a test starts (its ORIGIN names the
 * port, so it must be chosen before the process listens). Chosen below the
 * kernel's ephemeral range (32768 and up on Linux): a port from port 0 is an
 * ephemeral one, and between the probe closing and the server binding, any
 * outgoing connection of the busy test machine may take it as its local port
 * (seen as EADDRINUSE). Random, so parallel test files rarely try the same.
 */
import { createServer } from "node:net";

const LOW = 20_000;
const HIGH = 32_000;

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await tryListen(port)) return port;
  }
  throw new Error(`no free port between ${LOW} and ${HIGH}`);
}
