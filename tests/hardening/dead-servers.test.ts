/**
 * Dead servers do not starve live ones. Three articles go out at once to
 * healthy servers and to dead ones: two that take requests and never answer
 * (one with several followers), one whose TLS handshake never completes (a
 * connect that never finishes), and one that refuses connections. With four
 * deliveries in flight on one thread (the serving one) and small connect and response
 * timeouts (FETCH_TIMEOUT_MS, the whole-request bound, is left long), the
 * healthy servers get every article while the dead ones are still failing;
 * no dead server ever holds more than DELIVERY_MAX_PER_SERVER (1) requests,
 * and the sender ends each hung request at its connect or response timeout.
 */
import { rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlitePath } from "../../src/storage/open.ts";
import { ENTRY, writeArticle } from "../federation/e2e.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import {
  makeContent,
  type Receiver,
  record,
  seedFollowers,
  startReceiver,
  until,
} from "./helpers.ts";

const SLUGS = ["mot", "hai", "ba"];
/** The whole-request bound: far longer than the test waits, so only the other two can free a slot. */
const WHOLE_MS = 60_000;

let content: string;
let server: TestServer;
const healthy: Receiver[] = [];
const hanging: Record<string, Receiver> = {};
/** Per hanging server: requests open now, the most at once, and how long each was held. */
const held: Record<string, { open: number; most: number; heldMs: number[] }> = {};
let silent: Server;
const silentSockets: { opened: number; closedAfter: number | null }[] = [];
let refusedOrigin = "";

const creates = (rcv: Receiver) =>
  rcv.deliveries.filter((d) => d.type === "Create").map((d) => d.object.replace(/.*\//, ""));

/** Each (inbox, state, last_error) of the deliveries recorded so far. */
function deliveries(dataDir: string) {
  const db = new DatabaseSync(sqlitePath(dataDir), { readOnly: true });
  try {
    return db.prepare("SELECT inbox, state, last_error FROM deliveries").all() as {
      inbox: string;
      state: string;
      last_error: string | null;
    }[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  content = await makeContent("loa-hard-dead-");
  server = await startServer({
    contentDir: content,
    entry: ENTRY,
    env: {
      QUEUE_WORKERS: "4",
      DELIVERY_THREADS: "0",
      DELIVERY_MAX_PER_SERVER: "1",
      FETCH_CONNECT_TIMEOUT_MS: "1000",
      FETCH_RESPONSE_TIMEOUT_MS: "1000",
      FETCH_TIMEOUT_MS: String(WHOLE_MS),
      DELIVERY_RETRY_INITIAL_MS: "500",
      DELIVERY_RETRY_MAX_MS: "2000",
      DELIVERY_MAX_ATTEMPTS: "100",
    },
  });
  for (let i = 0; i < 4; i++) {
    const rcv = await startReceiver();
    rcv.respond = (req, res, body) => {
      record(rcv, req, body);
      setTimeout(() => res.writeHead(202).end(), 50);
    };
    healthy.push(rcv);
  }
  for (const name of ["many", "one"]) {
    const rcv = await startReceiver();
    const counts = { open: 0, most: 0, heldMs: [] as number[] };
    held[name] = counts;
    // Takes the request and never answers; notes how long the sender keeps it.
    rcv.respond = (req, _res, body) => {
      record(rcv, req, body);
      const since = Date.now();
      counts.open++;
      counts.most = Math.max(counts.most, counts.open);
      req.socket.once("close", () => {
        counts.open--;
        counts.heldMs.push(Date.now() - since);
      });
    };
    hanging[name] = rcv;
  }
  // Accepts TCP connections and says nothing: an https:// inbox here never
  // finishes its TLS handshake, as a host dropping packets never connects.
  silent = createServer((socket: Socket) => {
    const entry = { opened: Date.now(), closedAfter: null as number | null };
    silentSockets.push(entry);
    socket.on("error", () => {});
    // Reading, so that the sender closing the connection is seen.
    socket.resume();
    socket.once("close", () => {
      entry.closedAfter = Date.now() - entry.opened;
    });
  });
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
  const silentPort = (silent.address() as { port: number }).port;
  const probe = await startReceiver();
  refusedOrigin = probe.origin;
  await probe.close();

  await seedFollowers(server.dataDir, [
    ...healthy.map((rcv, i) => ({ origin: rcv.origin, name: `healthy${i}` })),
    ...[1, 2, 3, 4].map((n) => ({ origin: (hanging.many as Receiver).origin, name: `many${n}` })),
    { origin: (hanging.one as Receiver).origin, name: "one" },
    { origin: `https://127.0.0.1:${silentPort}`, name: "silent" },
    { origin: refusedOrigin, name: "refused" },
  ]);
  const published = `published: ${new Date(Date.now() - 60_000).toISOString()}`;
  await Promise.all(
    SLUGS.map((slug) => writeArticle(content, slug, [`title: ${slug}`, published])),
  );
}, 30_000);

afterAll(async () => {
  await server?.cleanup();
  await Promise.all([...healthy, ...Object.values(hanging)].map((r) => r.close()));
  await new Promise<void>((r) => (silent ? silent.close(() => r()) : r()));
  await rm(content, { recursive: true, force: true });
});

describe("delivery beside dead servers", () => {
  it("reaches every healthy server with every article while the dead ones are still failing", async () => {
    await until(
      () => healthy.every((rcv) => SLUGS.every((slug) => creates(rcv).includes(slug))),
      "every article at every healthy server",
      20_000,
    );
    for (const rcv of healthy) expect(creates(rcv).sort()).toEqual([...SLUGS].sort());
    // Nothing reached a dead server, and each of them has been tried and has failed.
    const dead = [
      (hanging.many as Receiver).origin,
      (hanging.one as Receiver).origin,
      refusedOrigin,
    ];
    await until(
      () =>
        dead.every((origin) =>
          deliveries(server.dataDir).some((d) => d.inbox.startsWith(`${origin}/`) && d.last_error),
        ),
      "a failure recorded for each dead server",
    );
    const toDead = deliveries(server.dataDir).filter(
      (d) =>
        dead.some((origin) => d.inbox.startsWith(`${origin}/`)) || d.inbox.startsWith("https:"),
    );
    expect(toDead.length).toBeGreaterThan(0);
    expect(toDead.filter((d) => d.state === "delivered")).toEqual([]);
    expect(silentSockets.length).toBeGreaterThan(0);
  }, 30_000);

  it("never holds more than one request open at a dead server, however many articles wait", async () => {
    // Twelve deliveries (four followers, three articles) and their retries wait for it.
    await until(
      () => (hanging.many as Receiver).deliveries.length >= 3,
      "three requests at the hanging server",
    );
    expect(held.many?.most).toBe(1);
    expect(held.one?.most).toBe(1);
  });

  it("ends a hung request at the response timeout and a hung connect at the connect timeout", async () => {
    await until(
      () =>
        (held.many?.heldMs.length ?? 0) > 0 && silentSockets.some((s) => s.closedAfter !== null),
      "a hung request and a hung connect ended by the sender",
    );
    // Both timeouts are 1 s; the whole-request bound would have held them a minute.
    const ended = [
      ...(held.many?.heldMs ?? []),
      ...(held.one?.heldMs ?? []),
      ...silentSockets.flatMap((s) => (s.closedAfter === null ? [] : [s.closedAfter])),
    ];
    for (const ms of ended) expect(ms).toBeLessThan(WHOLE_MS / 4);
  });
});
