/**
 * Each kind of queued work on its own lane, observed in the real server
 * (`npm start` with one delivery thread): a hook loaded into every thread
 * (`queue-hook.ts`) records which thread's queue listener was handed each
 * message. Incoming activities and the hub's work are never handed to a
 * delivery thread; a flood of hanging WebSub verifications does not hold a
 * follower's delivery back; a delivery thread that dies in the middle of a
 * delivery is started again, readiness says so meanwhile, and its delivery
 * still arrives. The delivery thread starts only once deliveries are due.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Accept, Create, Note } from "@fedify/fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeArticle } from "../federation/e2e.ts";
import { type Peer, startPeer } from "../helpers/peer.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { hubRequest, type Subscriber, startSubscriber } from "../websub/subscriber.ts";
import {
  makeContent,
  type Receiver,
  record,
  seedFollowers,
  startReceiver,
  until,
} from "./helpers.ts";

const HOOK = resolve(import.meta.dirname, "queue-hook.ts");
const recent = () => `published: ${new Date(Date.now() - 60_000).toISOString()}`;

interface Claim {
  thread: number;
  type?: string | null;
  action?: string | null;
  /** A line for a listener started rather than a message handed over. */
  listening?: true;
  /** A line for a delivery thread that ended. */
  exited?: true;
}

async function claimsIn(file: string): Promise<Claim[]> {
  if (!existsSync(file)) return [];
  const text = await readFile(file, "utf8");
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Claim);
}

/** A TCP server that takes connections and never answers: a callback that hangs. */
async function startHangingServer(): Promise<{
  port: number;
  open(): number;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const base = await mkdtemp(join(tmpdir(), "loa-lanes-"));
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("lanes: who claims what", () => {
  let content: string;
  let server: TestServer;
  let peer: Peer;
  let subscriber: Subscriber;
  let actorUrl: string;
  const claims = join(base, "claims-a.jsonl");

  beforeAll(async () => {
    content = await makeContent("loa-lanes-a-");
    peer = await startPeer();
    subscriber = await startSubscriber("lanes");
    server = await startServer({
      contentDir: content,
      nodeArgs: [`--import=${HOOK}`],
      env: {
        DELIVERY_THREADS: "1",
        // 8 deliveries at once per consumer: far fewer than the hanging verifications below.
        QUEUE_WORKERS: "16",
        // Hanging callbacks hang for the whole test.
        FETCH_TIMEOUT_MS: "120000",
        WEBSUB_MAX_PER_HOST: "1000",
        WEBSUB_MAX_PENDING: "1000",
        WEBSUB_MAX_PENDING_PER_DOMAIN: "1000",
        LOA_TEST_CLAIMS: claims,
        // Stopped soon when idle, so that the last test sees it stop and start again.
        DELIVERY_THREADS_IDLE_MS: "1500",
      },
    });
    actorUrl = `${server.origin}/users/cualo`;
  }, 60_000);

  afterAll(async () => {
    await server?.cleanup();
    await peer?.close();
    await subscriber?.close();
    await rm(content, { recursive: true, force: true });
  });

  it("never hands an incoming activity or a WebSub verification to a delivery thread", async () => {
    // An incoming Follow (inbox), its Accept (a delivery), a subscription (hub).
    await peer.follow(actorUrl);
    await peer.waitFor((r) => r.activity instanceof Accept);
    // The delivery thread starts once deliveries are due (the Accept) and listens.
    await until(
      async () => (await claimsIn(claims)).some((c) => c.listening && c.thread !== 0),
      "the delivery thread to listen",
      30_000,
    );
    const { status, text } = await hubRequest(server.origin, {
      "hub.mode": "subscribe",
      "hub.topic": `${server.origin}/atom.xml`,
      "hub.callback": subscriber.callback,
    });
    expect(status, text).toBe(202);
    await until(() => subscriber.verifications.length > 0, "the verification");
    // A reply (inbox) and a new article (deliveries).
    await peer.send(
      actorUrl,
      new Create({
        id: peer.newId("create"),
        actor: peer.actorId,
        object: new Note({
          id: peer.newId("note"),
          attribution: peer.actorId,
          content: "Chào toà soạn",
          to: new URL(actorUrl),
        }),
        to: new URL(actorUrl),
      }),
    );
    await writeArticle(content, "lan-rieng", ["title: Làn riêng", recent()]);
    await peer.waitFor((r) => r.activity instanceof Create);
    await until(async () => {
      const all = await claimsIn(claims);
      return all.filter((c) => c.type === "inbox").length >= 2;
    }, "both incoming activities handled");

    const all = (await claimsIn(claims)).filter((c) => !c.listening && !c.exited);
    const main = all.filter((c) => c.thread === 0);
    const threads = all.filter((c) => c.thread !== 0);
    expect(main.filter((c) => c.type === "inbox").length).toBeGreaterThanOrEqual(2);
    expect(main.filter((c) => c.type === "websub" && c.action === "verify")).toHaveLength(1);
    // Delivery threads were handed deliveries and nothing else.
    expect(threads.filter((c) => c.type !== "outbox" && c.type !== "fanout")).toEqual([]);
  }, 60_000);

  it("delivers a new article to a follower while hundreds of verifications hang", async () => {
    const hanging = await startHangingServer();
    try {
      const before = peer.received.length;
      const requests = Array.from({ length: 200 }, (_, i) =>
        hubRequest(server.origin, {
          "hub.mode": "subscribe",
          "hub.topic": `${server.origin}/atom.xml`,
          "hub.callback": `http://127.0.0.1:${hanging.port}/hook?n=${i}`,
        }),
      );
      const answers = await Promise.all(requests);
      const accepted = answers.filter((a) => a.status === 202).length;
      expect(accepted).toBeGreaterThan(100);
      // The hub's workers are all held by callbacks that never answer.
      await until(() => hanging.open() >= 8, "verifications to hang");
      await writeArticle(content, "van-den", ["title: Vẫn đến", recent()]);
      await peer.waitFor(
        (r) => r.activity instanceof Create && JSON.stringify(r.json).includes("/articles/van-den"),
        { timeoutMs: 30_000 },
      );
      expect(peer.received.length).toBeGreaterThan(before);
      // Still hanging when the delivery arrived, and most verifications not even started.
      expect(hanging.open()).toBeGreaterThanOrEqual(8);
      const verifies = (await claimsIn(claims)).filter((c) => c.action === "verify");
      expect(verifies.length).toBeLessThan(1 + accepted);
      expect(verifies.every((c) => c.thread === 0)).toBe(true);
    } finally {
      await hanging.close();
    }
  }, 90_000);

  it("stops the delivery thread once nothing is due, and starts one for the next article", async () => {
    const threads = async () =>
      new Set(
        (await claimsIn(claims)).filter((c) => c.listening && c.thread !== 0).map((c) => c.thread),
      );
    // Every delivery thread started so far has ended: one from the test before may
    // still be inside its idle spell (on a busy machine), and would take the article.
    const stillRunning = async () => {
      const all = await claimsIn(claims);
      const ended = new Set(all.filter((c) => c.exited).map((c) => c.thread));
      return [...(await threads())].filter((t) => !ended.has(t));
    };
    await until(
      async () => (await threads()).size > 0 && (await stillRunning()).length === 0,
      "every idle delivery thread to stop",
      30_000,
    );
    const before = await threads();
    await writeArticle(content, "lai-nua", ["title: Lại nữa", recent()]);
    await peer.waitFor(
      (r) => r.activity instanceof Create && JSON.stringify(r.json).includes("/articles/lai-nua"),
      { timeoutMs: 30_000 },
    );
    await until(
      async () => [...(await threads())].some((t) => !before.has(t)),
      "a new delivery thread to listen",
      30_000,
    );
    // The thread that stopped is not the one delivering now.
    expect([...(await threads())].filter((t) => !before.has(t)).length).toBeGreaterThan(0);
  }, 90_000);
});

describe("a delivery thread that dies", () => {
  // Fedify orders a fan-out's deliveries per receiving server, one at a
  // time: several servers, so that both consumers have deliveries to take.
  const SERVERS = 6;
  const PER_SERVER = 10;
  let content: string;
  let server: TestServer;
  const receivers: Receiver[] = [];
  const claims = join(base, "claims-b.jsonl");
  const marker = join(base, "crash-marker");

  beforeAll(async () => {
    content = await makeContent("loa-lanes-b-");
    for (let i = 0; i < SERVERS; i++) {
      const receiver = await startReceiver();
      // Slow enough that the serving thread cannot take the whole fan-out alone.
      receiver.respond = (req, res, body) => {
        setTimeout(() => {
          record(receiver, req, body);
          res.writeHead(202).end();
        }, 100);
      };
      receivers.push(receiver);
    }
    server = await startServer({
      contentDir: content,
      nodeArgs: [`--import=${HOOK}`],
      env: {
        DELIVERY_THREADS: "1",
        QUEUE_WORKERS: "4",
        // The dead thread's claims come back after 1 s.
        QUEUE_LEASE_MS: "1000",
        DELIVERY_RETRY_INITIAL_MS: "200",
        LOA_TEST_CLAIMS: claims,
        LOA_TEST_CRASH_MARKER: marker,
      },
    });
    await seedFollowers(
      server.dataDir,
      receivers.flatMap((r) =>
        Array.from({ length: PER_SERVER }, (_, i) => ({ origin: r.origin, name: `f${i}` })),
      ),
    );
  }, 60_000);

  afterAll(async () => {
    await server?.cleanup();
    for (const receiver of receivers) await receiver.close();
    await rm(content, { recursive: true, force: true });
  });

  async function readiness(): Promise<{ status: number; queue: string }> {
    const res = await fetch(`${server.origin}/readyz`);
    const body = (await res.json()) as { checks?: { queue?: string } };
    return { status: res.status, queue: body.checks?.queue ?? "" };
  }

  it("is started again, readiness says so while it is down, and every delivery arrives", async () => {
    // The delivery thread starts when the article's deliveries are enqueued.
    expect((await readiness()).status).toBe(200);
    await writeFile(marker, "");
    await writeArticle(content, "chet-giua-chung", ["title: Chết giữa chừng", recent()]);
    const seen: { status: number; queue: string }[] = [];
    await until(
      async () => {
        const r = await readiness();
        seen.push(r);
        return r.status === 503;
      },
      "readiness to report the dead thread",
      30_000,
    );
    expect(existsSync(marker)).toBe(false);
    expect(seen.at(-1)?.queue).toMatch(/delivery thread \d+ exited \(code 1\); restarting/);
    await until(
      async () => (await readiness()).status === 200,
      "the thread to consume again",
      30_000,
    );
    const inboxesReached = () =>
      receivers
        .map(
          (r) =>
            new Set(
              r.deliveries
                .filter(
                  (d) => d.type === "Create" && d.object.endsWith("/articles/chet-giua-chung"),
                )
                .map((d) => d.path),
            ).size,
        )
        .reduce((a, b) => a + b, 0);
    await until(
      () => inboxesReached() === SERVERS * PER_SERVER,
      `all ${SERVERS * PER_SERVER} inboxes to get the article`,
      45_000,
    );
  }, 120_000);
});
