/**
 * The fan-out receiver as its own process: `node bench/fanout/receiver-main.ts '<spec>'`,
 * the spec a JSON {@link ReceiverSpec}. Serves the same inboxes on `live` loopback
 * ports (each port is one "server" to the sender), keeps `hang` more ports that
 * take requests and never answer, and reserves `refuse` ports nobody listens on.
 * Prints `{"ports":[…],"hanging":[…],"refused":[…]}` once listening. `GET /_stats`
 * and `GET /_arrivals` on the first live port report the counts.
 */
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer, type Server } from "node:net";
import { createReceiver, fetchActorKey } from "./receiver.ts";

/** What to serve; see the module comment. */
export interface ReceiverSpec {
  live: number;
  hang?: number;
  refuse?: number;
  /** Verify one delivery in this many. */
  sampleEvery?: number;
  /** Each live server answers after a fixed delay drawn from [min, max] ms (none: at once). */
  answerMs?: [number, number];
  /** How long the receiver keeps an idle connection (the sender's sockets follow it). */
  keepAliveMs?: number;
}

const MAX_PORTS = 12_000;
const spec = JSON.parse(process.argv[2] ?? "{}") as ReceiverSpec;
const live = Math.min(MAX_PORTS, Math.max(1, Math.floor(spec.live ?? 1)));
const hang = Math.min(MAX_PORTS, Math.max(0, Math.floor(spec.hang ?? 0)));
const refuse = Math.min(MAX_PORTS, Math.max(0, Math.floor(spec.refuse ?? 0)));

/** Deterministic per server: the same layout answers the same way in every run. */
function delayFor(index: number, [min, max]: [number, number]): number {
  let x = (index + 1) * 2_654_435_761;
  x = (x ^ (x >>> 16)) >>> 0;
  return min + (x % (max - min + 1));
}

const delays = new Map<string, number>();
const receiver = createReceiver({
  sampleEvery: Math.max(1, Math.floor(spec.sampleEvery ?? 100)),
  resolveKey: fetchActorKey,
  ...(spec.answerMs ? { answerAfterMs: (host: string) => delays.get(host) ?? 0 } : {}),
});
receiver.server.keepAliveTimeout = spec.keepAliveMs ?? 5_000;

// One HTTP server behind many listening sockets: 10,000 ports are 10,000 origins
// to the sender, without 10,000 HTTP server objects here.
const feed = (http: HttpServer) => (socket: import("node:net").Socket) =>
  http.emit("connection", socket);
const hangServer = createHttpServer(() => {
  // Takes the request and never answers; the sender's timeout must end it.
});
hangServer.requestTimeout = 0;
hangServer.headersTimeout = 0;
hangServer.keepAliveTimeout = 0;

const listening: Server[] = [];
async function listen(server: Server): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
}

const ports: number[] = [];
for (let i = 0; i < live; i++) {
  const server = createServer(feed(receiver.server));
  listening.push(server);
  const port = await listen(server);
  ports.push(port);
  if (spec.answerMs) delays.set(`127.0.0.1:${port}`, delayFor(i, spec.answerMs));
}
const hanging: number[] = [];
for (let i = 0; i < hang; i++) {
  const server = createServer(feed(hangServer));
  listening.push(server);
  hanging.push(await listen(server));
}
// Ports taken from the kernel and given back: connecting to them is refused.
const refused: number[] = [];
for (let i = 0; i < refuse; i++) {
  const server = createServer();
  refused.push(await listen(server));
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
console.log(JSON.stringify({ ports, hanging, refused }));

process.on("SIGTERM", () => {
  for (const server of listening) server.close();
  hangServer.closeAllConnections();
  receiver.server.closeAllConnections();
  process.exit(0);
});
// Bounded: a receiver nobody stops ends itself after an hour.
setTimeout(() => process.exit(0), 3_600_000).unref();
