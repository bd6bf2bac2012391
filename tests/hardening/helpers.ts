/** Shared bits of the hardening suites: state snapshots, raw receivers, content dirs. */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { openStorage, sqlitePath } from "../../src/storage/open.ts";
import { SITE_YML } from "../federation/e2e.ts";

/**
 * Followers and the publication ledger exactly as stored, read from the
 * server's SQLite file (read-only; WAL lets us read beside the running server).
 */
export function readState(dataDir: string): { followers: unknown[]; ledger: unknown[] } {
  const db = new DatabaseSync(sqlitePath(dataDir), { readOnly: true });
  try {
    return {
      followers: db.prepare("SELECT * FROM followers ORDER BY actor_id").all(),
      ledger: db.prepare("SELECT * FROM ledger ORDER BY slug").all(),
    };
  } finally {
    db.close();
  }
}

/** A content dir with `site.yml` and an empty `articles/`. */
export async function makeContent(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(join(dir, "articles"), { recursive: true });
  await writeFile(join(dir, "site.yml"), SITE_YML);
  return dir;
}

/** What a {@link Receiver} got: the request path and the activity's id and type. */
export interface Delivery {
  path: string;
  id: string;
  type: string;
  /** The activity's object id (e.g. the Note's URL), or "". */
  object: string;
}

/** A plain HTTP server that records POSTed activities (no signature checks). */
export interface Receiver {
  origin: string;
  port: number;
  deliveries: Delivery[];
  /** Replaces how requests are answered (default: 202 after recording). */
  respond: (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;
  close(): Promise<void>;
}

/** Starts a {@link Receiver} on loopback; `port` 0 picks a free one. */
export async function startReceiver(port = 0): Promise<Receiver> {
  const receiver: Receiver = {
    origin: "",
    port: 0,
    deliveries: [],
    respond: (req, res, body) => {
      record(receiver, req, body);
      res.writeHead(202).end();
    },
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      Promise.resolve(receiver.respond(req, res, body)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  const actual = (server.address() as AddressInfo).port;
  receiver.port = actual;
  receiver.origin = `http://127.0.0.1:${actual}`;
  receiver.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return receiver;
}

/** Records a POSTed activity on `receiver` (for custom `respond` functions). */
export function record(receiver: Receiver, req: IncomingMessage, body: string): void {
  if (req.method !== "POST") return;
  try {
    const json = JSON.parse(body) as { id?: string; type?: string; object?: unknown };
    const object = json.object as string | { id?: string } | undefined;
    receiver.deliveries.push({
      path: req.url ?? "",
      id: String(json.id),
      type: String(json.type),
      object: typeof object === "string" ? object : String(object?.id ?? ""),
    });
  } catch {
    receiver.deliveries.push({ path: req.url ?? "", id: "(unparsable)", type: "", object: "" });
  }
}

/** Polls `check` until it returns true, or throws after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Stores followers straight into the server's SQLite store (beside a running
 * server is fine: WAL and a busy timeout). Each is `{origin}/actors/{name}`
 * with its own inbox `{origin}/inbox/{name}` and no shared inbox.
 */
export async function seedFollowers(
  dataDir: string,
  followers: { origin: string; name: string }[],
): Promise<void> {
  const storage = await openStorage({ dataDir, databaseUrl: undefined });
  try {
    for (const { origin, name } of followers) {
      await storage.store.addFollower({
        actorId: `${origin}/actors/${name}`,
        followId: `${origin}/follows/${name}`,
        inbox: `${origin}/inbox/${name}`,
        sharedInbox: null,
        createdAt: new Date(),
      });
    }
  } finally {
    await storage.close();
  }
}
