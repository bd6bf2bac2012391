/**
 * The fan-out receiver as its own process: `node bench/receiver-main.ts <port>
 * [sampleEvery]`. Listens on 127.0.0.1 only; `GET /_stats` reports counts.
 */
import { createReceiver, fetchActorKey } from "./receiver.ts";

const [portArg, sampleArg] = process.argv.slice(2);
const receiver = createReceiver({
  sampleEvery: Math.max(1, Number(sampleArg ?? 100)),
  resolveKey: fetchActorKey,
});
receiver.server.maxConnections = 10_000;
receiver.server.listen(Number(portArg ?? 0), "127.0.0.1", () => {
  const address = receiver.server.address();
  console.log(JSON.stringify({ listening: typeof address === "object" ? address?.port : null }));
});
process.on("SIGTERM", () => receiver.server.close(() => process.exit(0)));
// Bounded: a receiver nobody stops ends itself after an hour.
setTimeout(() => process.exit(0), 3_600_000).unref();
