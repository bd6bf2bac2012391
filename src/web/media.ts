import { readFile, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import type { Context } from "hono";
import { imageMediaType } from "../content/media.ts";
import { isNotModified, type Validators } from "./conditional.ts";

const MAX_BYTES = 20 * 1024 * 1024;

/**
 * Serves `/media/<path>` from the content dir. The path is decoded once by the
 * router; we then refuse any segment that could climb out (`..`, empty, hidden)
 * and compare real paths, so neither `%2e%2e` nor a symlink reaches outside.
 */
export async function serveMedia(
  c: Context,
  contentDir: string,
  path: string,
): Promise<Response | null> {
  const segments = path.split("/");
  if (
    segments.some(
      (s) =>
        s === "" ||
        s === "." ||
        s === ".." ||
        s.startsWith(".") ||
        s.includes("\\") ||
        s.includes("\0"),
    )
  ) {
    return null;
  }
  // Only images are served from `content/`: never site.yml, Markdown or keys.
  const type = imageMediaType(path);
  if (!type) return null;
  try {
    const root = await realpath(contentDir);
    const file = await realpath(join(root, ...segments));
    if (!file.startsWith(root + sep)) return null;
    const info = await stat(file);
    if (!info.isFile() || info.size > MAX_BYTES) return null;
    const validators: Validators = {
      etag: `"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`,
      lastModified: new Date(Math.floor(info.mtimeMs / 1000) * 1000),
    };
    const headers = {
      ETag: validators.etag,
      "Last-Modified": validators.lastModified.toUTCString(),
      "Cache-Control": "public, max-age=3600",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    };
    if (isNotModified(c, validators)) return c.body(null, 304, headers);
    const bytes = await readFile(file);
    return c.body(bytes, 200, { ...headers, "Content-Type": type });
  } catch {
    return null;
  }
}
