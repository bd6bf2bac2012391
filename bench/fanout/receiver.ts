import { createServer, type IncomingMessage, type RequestListener, type Server } from "node:http";
import { claimedKeyId, type SignedRequest, verifySignedRequest } from "./verify-signature.ts";

/** Counters a fan-out run reads from the receiver (`GET /_stats`). */
export interface ReceiverStats {
  deliveries: number;
  distinctInboxes: number;
  /** Deliveries to an inbox that had already received one. */
  duplicates: number;
  /** Wall-clock ms (`performance.timeOrigin + performance.now()`). */
  firstAt: number | null;
  lastAt: number | null;
  /** Sampled deliveries whose signature verified / did not. */
  verified: number;
  rejected: number;
  rejectReasons: string[];
  /** Activity types seen in the sampled bodies. */
  types: Record<string, number>;
}

export interface ReceiverOptions {
  /** Verify one delivery in this many (the first always). */
  sampleEvery: number;
  /** Returns the PEM public key for a keyId (e.g. fetched from the actor document). */
  resolveKey(keyId: string): Promise<string>;
  /**
   * How long the server at `host` (the request's Host header) takes to answer,
   * in ms; absent: at once. Arrival is counted when the body is in, not when
   * the answer leaves, as a real server has the post once it has read it.
   */
  answerAfterMs?: (host: string) => number;
}

const wallNow = () => performance.timeOrigin + performance.now();

function emptyStats(): ReceiverStats {
  return {
    deliveries: 0,
    distinctInboxes: 0,
    duplicates: 0,
    firstAt: null,
    lastAt: null,
    verified: 0,
    rejected: 0,
    rejectReasons: [],
    types: {},
  };
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A fast inbox for many fake followers: answers every POST 202 at once (as
 * several large servers do), counts deliveries per path, and checks the HTTP
 * signature of a sample after answering, so verification never slows delivery.
 */
export function createReceiver(options: ReceiverOptions): {
  server: Server;
  /** The request handler, to serve the same inboxes on more ports (more origins). */
  handler: RequestListener;
  stats(): ReceiverStats;
  reset(): void;
  /** Resolves when every sampled verification started so far has finished. */
  settled(): Promise<void>;
} {
  let stats = emptyStats();
  let perInbox = new Map<string, number>();
  /** First arrival per server (Host header), wall-clock ms. */
  let arrivals = new Map<string, number>();
  let pending = new Set<Promise<void>>();
  const keys = new Map<string, Promise<string>>();
  const keyFor = (keyId: string) => {
    let key = keys.get(keyId);
    if (!key) {
      key = options.resolveKey(keyId);
      keys.set(keyId, key);
    }
    return key;
  };

  const check = async (signed: SignedRequest, current: ReceiverStats) => {
    const keyId = claimedKeyId(signed);
    let verdict: ReturnType<typeof verifySignedRequest>;
    try {
      verdict = keyId
        ? verifySignedRequest(signed, await keyFor(keyId))
        : { ok: false, reason: "no keyId" };
    } catch (error) {
      verdict = { ok: false, reason: `key for ${keyId}: ${String(error)}` };
    }
    if (verdict.ok) current.verified++;
    else {
      current.rejected++;
      if (current.rejectReasons.length < 5) current.rejectReasons.push(verdict.reason);
    }
    try {
      const type = String((JSON.parse(signed.body.toString("utf8")) as { type?: unknown }).type);
      current.types[type] = (current.types[type] ?? 0) + 1;
    } catch {
      current.types["(not JSON)"] = (current.types["(not JSON)"] ?? 0) + 1;
    }
  };

  const handler: RequestListener = (req, res) => {
    const path = req.url ?? "/";
    if (req.method === "GET" && path === "/_stats") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats));
      return;
    }
    if (req.method === "GET" && path === "/_arrivals") {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(Object.fromEntries(arrivals)));
      return;
    }
    if (req.method === "POST" && path === "/_reset") {
      reset();
      res.writeHead(204).end();
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(404).end();
      return;
    }
    readBody(req, 10 * 1024 * 1024).then(
      (body) => {
        const current = stats;
        current.deliveries++;
        const t = wallNow();
        current.firstAt ??= t;
        current.lastAt = t;
        // Host and path: the same path on two ports is two servers' inboxes.
        const host = req.headers.host ?? "";
        const inbox = `${host}${path}`;
        const seen = perInbox.get(inbox) ?? 0;
        perInbox.set(inbox, seen + 1);
        if (seen === 0) current.distinctInboxes++;
        else current.duplicates++;
        if (!arrivals.has(host)) arrivals.set(host, t);
        const delay = options.answerAfterMs?.(host) ?? 0;
        if (delay > 0) setTimeout(() => res.writeHead(202).end(), delay);
        else res.writeHead(202).end();
        if ((current.deliveries - 1) % options.sampleEvery === 0) {
          const signed = { method: req.method ?? "POST", path, headers: req.headers, body };
          const job = check(signed, current).finally(() => pending.delete(job));
          pending.add(job);
        }
      },
      () => res.writeHead(413).end(),
    );
  };
  const server = createServer(handler);
  server.keepAliveTimeout = 60_000;

  function reset() {
    stats = emptyStats();
    perInbox = new Map();
    arrivals = new Map();
    pending = new Set();
  }
  return {
    server,
    handler,
    stats: () => stats,
    reset,
    settled: async () => {
      await Promise.all([...pending]);
    },
  };
}

/** Fetches an actor document by keyId and returns its `publicKey.publicKeyPem`. */
export async function fetchActorKey(keyId: string): Promise<string> {
  const url = new URL(keyId);
  url.hash = "";
  const res = await fetch(url, {
    headers: { accept: "application/activity+json" },
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`${url.href} answered ${res.status}`);
  const doc = (await res.json()) as { publicKey?: unknown };
  const keys = Array.isArray(doc.publicKey) ? doc.publicKey : [doc.publicKey];
  for (const k of keys as { id?: string; publicKeyPem?: string }[]) {
    if (k?.publicKeyPem && (k.id === keyId || keys.length === 1)) return k.publicKeyPem;
  }
  throw new Error(`${url.href} has no publicKey ${keyId}`);
}
