/**
 * Where a remote avatar is shown from: our own origin, under a key derived
 * from its remote URL, so a page names it before it is fetched and the
 * sender's server never sees a reader's (or a moderator's) browser. Pure:
 * page renderers call it; `avatars/` fetches and stores what it names.
 */
import { createHash } from "node:crypto";
import { fillPath, PATHS } from "../urls.ts";

const KEY = /^[0-9a-f]{32}$/;

/** `url` when it is an http(s) URL we may fetch as an avatar. */
function fetchable(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const { protocol } = new URL(url);
    return protocol === "http:" || protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The key of the avatar at `url` (128 bits of its SHA-256, hex). */
export function avatarKey(url: string): string {
  return createHash("sha256").update(url).digest("hex").slice(0, 32);
}

/** Whether `value` can be an avatar key (checked before any lookup). */
export function isAvatarKey(value: unknown): value is string {
  return typeof value === "string" && KEY.test(value);
}

/**
 * The root-relative path a page shows the avatar at `url` from, or undefined
 * when `url` is not an http(s) URL (a peer's `javascript:` shows nothing).
 */
export function avatarPath(url: string | null | undefined): string | undefined {
  const remote = fetchable(url);
  return remote === undefined ? undefined : fillPath(PATHS.avatar, { key: avatarKey(remote) });
}

/** The remote URLs among `urls` that can be fetched as avatars, once each. */
export function fetchableAvatars(urls: Iterable<string | null | undefined>): string[] {
  const out = new Set<string>();
  for (const url of urls) {
    const remote = fetchable(url);
    if (remote !== undefined) out.add(remote);
  }
  return [...out];
}
