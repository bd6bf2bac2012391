import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** Stop walking after this many entries: a content dir is small, a runaway one is not ours to index. */
const MAX_ENTRIES = 20_000;

/**
 * A cheap fingerprint of the content tree (names, sizes, mtimes, inodes),
 * compared between polls to catch changes `fs.watch` missed. Dotfiles are
 * skipped, as the loader skips them. Never throws: an unreadable tree has the
 * signature "unreadable", which differs from any readable one.
 */
export async function treeSignature(root: string): Promise<string> {
  const parts: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith(".") || parts.length >= MAX_ENTRIES) continue;
      const path = join(dir, entry.name);
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      try {
        // stat follows symlinks, so an edited link target counts as a change.
        const info = await stat(path);
        if (info.isDirectory()) {
          parts.push(`${name}/`);
          if (!entry.isSymbolicLink() && rel.split("/").length < 8) await walk(path, name);
        } else {
          parts.push(`${name}:${info.size}:${info.mtimeMs}:${info.ino}`);
        }
      } catch {
        parts.push(`${name}:gone`);
      }
    }
  };
  try {
    await walk(root, "");
  } catch {
    return "unreadable";
  }
  return parts.sort().join("\n");
}
