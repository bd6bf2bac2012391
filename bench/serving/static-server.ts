/**
 * Baseline (b): a bare `node:http` server answering the snapshot's bytes from
 * memory, with the headers Loa sent (its 200's, and its 304's on `If-None-Match`;
 * the request id is Loa's first, so the byte count is the same); nothing else: what
 * Node's own HTTP stack costs for the same response. Run as its own process:
 * `node bench/serving/static-server.ts <snapshot-dir> <port>`.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { readManifest } from "./snapshot.ts";

interface Entry {
  body: Buffer;
  etag: string;
  headers: Record<string, string>;
  notModifiedHeaders: Record<string, string>;
}

const [dir, portArg] = process.argv.slice(2);
if (!dir || !portArg) {
  console.error("usage: static-server.ts <snapshot-dir> <port>");
  process.exit(2);
}
const entries = new Map<string, Entry>();
for (const e of await readManifest(dir)) {
  const body = await readFile(join(dir, e.file));
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  entries.set(e.path, {
    body,
    etag,
    headers: { ...e.headers, "content-length": String(body.length) },
    notModifiedHeaders: e.notModifiedHeaders,
  });
}

const server = createServer((req, res) => {
  const entry = entries.get(req.url ?? "");
  if (!entry) {
    res.writeHead(404).end();
    return;
  }
  if (req.headers["if-none-match"] === entry.etag) {
    res.writeHead(304, entry.notModifiedHeaders).end();
    return;
  }
  res.writeHead(200, entry.headers).end(entry.body);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(portArg), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
