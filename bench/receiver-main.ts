/**
 * The fan-out receiver as its own process: `node bench/receiver-main.ts <origins>
 * [sampleEvery]`. Serves the same inboxes on `<origins>` loopback ports (each port
 * is one "server" to the sender) and prints `{"ports":[…]}` once listening.
 * `GET /_stats` on any port reports the counts.
 */
import { createServer, type Server } from "node:http";
import { createReceiver, fetchActorKey } from "./receiver.ts";

const [originsArg, sampleArg] = process.argv.slice(2);
const origins = Math.min(1_000, Math.max(1, Number(originsArg ?? 1)));
const receiver = createReceiver({
  sampleEvery: Math.max(1, Number(sampleArg ?? 100)),
  resolveKey: fetchActorKey,
});
const servers: Server[] = [receiver.server];
for (let i = 1; i < origins; i++) {
  const server = createServer(receiver.handler);
  server.keepAliveTimeout = 60_000;
  servers.push(server);
}
const ports = await Promise.all(
  servers.map(
    (server) =>
      new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
          const address = server.address();
          resolve(typeof address === "object" && address ? address.port : 0);
        });
      }),
  ),
);
console.log(JSON.stringify({ ports }));
process.on("SIGTERM", () => {
  for (const server of servers) server.close();
  process.exit(0);
});
// Bounded: a receiver nobody stops ends itself after an hour.
setTimeout(() => process.exit(0), 3_600_000).unref();
