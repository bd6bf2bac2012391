import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import { sep } from "node:path";

/** The largest content file we read (articles, site.yml), in bytes. */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

export type ReadResult =
  | { ok: true; bytes: Buffer; text: string }
  /** `missing`: the file does not exist (or vanished between listing and reading). */
  | { ok: false; reason: string; missing?: boolean };

/** True when `path` (already real) is `root` or lies beneath it. */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

// Reusable: a non-streaming decode starts afresh on every call.
const utf8 = new TextDecoder("utf-8", { fatal: true });

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Reads one content file defensively: symlinks must stay inside `root` (a real
 * path), the size is checked on the open handle before reading (so a huge file
 * is never read whole), and the bytes must be UTF-8. The text comes back NFC.
 * Every expected failure, including the file vanishing mid-read, is a value.
 */
export async function readContentFile(
  root: string,
  path: string,
  maxBytes: number,
): Promise<ReadResult> {
  return readContentFileSync(root, path, maxBytes);
}

/**
 * {@link readContentFile} without the thread pool: for a few-kB file the four
 * system calls cost microseconds, less than the promise machinery around them.
 * Callers reading many files yield to the event loop between batches.
 */
export function readContentFileSync(root: string, path: string, maxBytes: number): ReadResult {
  try {
    let fd: number;
    try {
      // No lstat first: O_NOFOLLOW fails with ELOOP exactly when the file is a symlink.
      fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      if (code(error) !== "ELOOP") throw error;
      const target = realpathSync(path);
      if (!isInside(root, target)) {
        return { ok: false, reason: "is a symbolic link pointing outside the content directory" };
      }
      fd = openSync(target, "r");
    }
    try {
      const info = fstatSync(fd);
      if (!info.isFile()) return { ok: false, reason: "is not a regular file" };
      if (info.size > maxBytes) return tooBig(info.size, maxBytes);
      // Read one byte past the limit: the file may have grown since the stat.
      const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
      let length = 0;
      while (length < buffer.length) {
        const want = buffer.length - length;
        const bytesRead = readSync(fd, buffer, length, want, length);
        length += bytesRead;
        // A regular file reads short only at its end: no second call to learn that.
        if (bytesRead < want) break;
      }
      if (length > maxBytes) return tooBig(length, maxBytes);
      const bytes = buffer.subarray(0, length);
      let text: string;
      try {
        text = utf8.decode(bytes);
      } catch {
        return { ok: false, reason: "is not valid UTF-8 text (save it as UTF-8)" };
      }
      return { ok: true, bytes, text: text.normalize("NFC") };
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const c = code(error);
    if (c === "ENOENT") return { ok: false, reason: "disappeared while being read", missing: true };
    if (c === "ELOOP") return { ok: false, reason: "is a symbolic link loop" };
    if (c === "EACCES" || c === "EPERM")
      return { ok: false, reason: "cannot be read (permission denied)" };
    if (c === "EISDIR") return { ok: false, reason: "is not a regular file" };
    return { ok: false, reason: `cannot be read (${c ?? String(error)})` };
  }
}

function tooBig(size: number, maxBytes: number): ReadResult {
  return { ok: false, reason: `is ${size} bytes, over the limit of ${maxBytes} bytes` };
}
