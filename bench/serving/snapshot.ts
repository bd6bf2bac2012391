import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** One response of the server under test, saved so the baselines serve the same bytes. */
export interface SnapshotEntry {
  path: string;
  /** File name inside the snapshot dir. */
  file: string;
  contentType: string;
  bytes: number;
  /** The 200's headers and the 304's, but those Node writes per response (Date, Connection, …). */
  headers: Record<string, string>;
  notModifiedHeaders: Record<string, string>;
}

/** Written by Node itself on every response, or per request: not replayed. */
const PER_RESPONSE = new Set([
  "date",
  "connection",
  "keep-alive",
  "content-length",
  "transfer-encoding",
]);

function kept(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) if (!PER_RESPONSE.has(name)) out[name] = value;
  return out;
}

/**
 * Fetches each path from the running server and writes its exact body to `dir`,
 * with a `manifest.json` the baselines read. Throws unless every path is a 200.
 */
export async function takeSnapshot(
  origin: string,
  paths: readonly string[],
  dir: string,
): Promise<SnapshotEntry[]> {
  const entries: SnapshotEntry[] = [];
  for (const [i, path] of paths.entries()) {
    // The bytes wrk is served: uncompressed.
    const res = await fetch(new URL(path, origin), {
      headers: { "Accept-Encoding": "identity" },
      signal: AbortSignal.timeout(30_000),
    });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}, not 200`);
    const etag = res.headers.get("etag");
    const again = await fetch(new URL(path, origin), {
      headers: { "Accept-Encoding": "identity", ...(etag ? { "If-None-Match": etag } : {}) },
      signal: AbortSignal.timeout(30_000),
    });
    await again.arrayBuffer();
    const file = `r${i}`;
    await writeFile(join(dir, file), body);
    entries.push({
      path,
      file,
      contentType: res.headers.get("content-type") ?? "application/octet-stream",
      bytes: body.length,
      headers: kept(res.headers),
      notModifiedHeaders: again.status === 304 ? kept(again.headers) : {},
    });
  }
  await writeFile(join(dir, "manifest.json"), JSON.stringify(entries, null, 2));
  return entries;
}

export async function readManifest(dir: string): Promise<SnapshotEntry[]> {
  return JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as SnapshotEntry[];
}
