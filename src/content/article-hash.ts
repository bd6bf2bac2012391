import { createHash } from "node:crypto";

/** A top-level `pinned:` line (value and comment included) with its line end. */
const PINNED_LINE = /^pinned[ \t]*:[^\r\n]*(?:\r\n|\n|\r)?/m;

/**
 * The article's hash: sha256 hex of the file's bytes, leaving out a
 * front-matter `pinned:` line. Pinning changes the profile (the `featured`
 * collection, announced by a profile Update), not the Note: were it hashed,
 * every follower would receive an Update and see the post marked edited. A
 * file without the line hashes exactly as before, so ledgers written before
 * `pinned` existed see no change.
 */
export function articleHash(bytes: Buffer, hasPinned: boolean): string {
  if (!hasPinned) return createHash("sha256").update(bytes).digest("hex");
  const text = bytes.toString("utf8");
  // The front matter is the text up to the second `---` line; only there is
  // `pinned:` a field rather than body text.
  const close = /\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  const end = close ? close.index + 1 : text.length;
  const head = text.slice(0, end).replace(PINNED_LINE, "");
  return createHash("sha256")
    .update(head + text.slice(end), "utf8")
    .digest("hex");
}
