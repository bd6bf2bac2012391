/**
 * Remote avatars, fetched once and served from our own origin: the sender's
 * server never learns who reads a thread or who moderates it, and when.
 *
 * Pages name an avatar by its key (`media/avatar-key.ts`) whether or not it
 * is fetched; whoever loads replies for display (the conversation cache, the
 * newsroom's lists) calls {@link AvatarCache.want}, which fetches in the
 * background, never on a reader's request. One fetch per avatar across every
 * process (the store's claim), through the process's bounded `fetch` (whose
 * dispatcher, `net/outbound-agent.ts`, connects only to public addresses,
 * checked at connect time, and refuses compressed bodies), with a small byte
 * cap and a short timeout of its own, at most two redirects; then checked
 * and re-encoded by
 * sharp (`media/avatar-image.ts`). Until then, or when refused, the
 * placeholder shows.
 */
import { getLogger } from "@logtape/logtape";
import type { Clock } from "../clock.ts";
import { AVATAR_MEDIA_TYPE, reencodeAvatar } from "../media/avatar-image.ts";
import { avatarKey, fetchableAvatars, isAvatarKey } from "../media/avatar-key.ts";
import type { PictureStore, RenditionBytes } from "../storage/pictures.ts";

const logger = getLogger(["loa", "avatars"]);

/** The largest avatar read (after decompression): Mastodon's are well under 2 MB, most under 100 kB. */
export const AVATAR_MAX_BYTES = 1024 * 1024;
/** How long one avatar fetch may take, from connecting to the last byte. */
export const AVATAR_TIMEOUT_MS = 5000;
/** A refused avatar (or a claim left by a crash) is tried again after this long. */
export const AVATAR_RETRY_MS = 24 * 3600_000;
const MAX_REDIRECTS = 2;
/** Fetches at once per process: avatars are not urgent, and the placeholder shows meanwhile. */
const CONCURRENCY = 2;
/** Keys remembered as handled, so a page shown again asks the store nothing. */
const MAX_REMEMBERED = 10_000;

/** Says why a URL may not be fetched, or null: a check before connecting, beside the connector's. */
export interface AddressCheck {
  refusal(url: URL): Promise<string | null>;
}

export interface AvatarCacheDeps {
  store: Pick<PictureStore, "claimAvatar" | "finishAvatar" | "getAvatar">;
  clock: Clock;
  /** The process's `fetch` (bounded by `federation/outbound-fetch.ts`) unless a test passes one. */
  fetch?: typeof globalThis.fetch;
  /** An extra check before each request; the process's dispatcher checks addresses at connect time. */
  guard?: AddressCheck;
  userAgent: string;
  maxBytes?: number;
  timeoutMs?: number;
  retryAfterMs?: number;
}

export interface AvatarCache {
  /** Fetches, in the background, those of `urls` not fetched or being fetched yet. */
  want(urls: Iterable<string | null | undefined>): void;
  /** The stored avatar under `key`, or null (unknown, pending or refused: show the placeholder). */
  read(key: string): Promise<RenditionBytes | null>;
  /** Resolves when nothing is queued or being fetched (tests, shutdown). */
  idle(): Promise<void>;
}

export function createAvatarCache(deps: AvatarCacheDeps): AvatarCache {
  const maxBytes = deps.maxBytes ?? AVATAR_MAX_BYTES;
  const timeoutMs = deps.timeoutMs ?? AVATAR_TIMEOUT_MS;
  const retryAfterMs = deps.retryAfterMs ?? AVATAR_RETRY_MS;
  const queued: string[] = [];
  const pending = new Set<string>();
  const handled = new Map<string, number>();
  let running = 0;
  const waiters: (() => void)[] = [];

  const settle = () => {
    if (running > 0 || queued.length > 0) return;
    for (const done of waiters.splice(0)) done();
  };

  const pump = () => {
    while (running < CONCURRENCY && queued.length > 0) {
      const url = queued.shift() as string;
      running++;
      void fetchOnce(url)
        .catch((error: unknown) => logger.error("Avatar {url} failed: {error}", { url, error }))
        .finally(() => {
          running--;
          pending.delete(url);
          if (handled.size >= MAX_REMEMBERED) handled.clear();
          handled.set(url, deps.clock().getTime());
          pump();
          settle();
        });
    }
  };

  async function fetchOnce(url: string): Promise<void> {
    const key = avatarKey(url);
    if (!(await deps.store.claimAvatar(key, url, deps.clock(), retryAfterMs))) return;
    const outcome = await download(url);
    if (!outcome.ok) {
      logger.info("Refused the avatar {url}: {reason}", { url, reason: outcome.reason });
      await deps.store.finishAvatar(key, null, deps.clock());
      return;
    }
    const image = await reencodeAvatar(outcome.bytes);
    if (!image.ok) {
      logger.info("Refused the avatar {url}: {reason}", { url, reason: image.reason });
      await deps.store.finishAvatar(key, null, deps.clock());
      return;
    }
    await deps.store.finishAvatar(
      key,
      { mediaType: AVATAR_MEDIA_TYPE, data: image.data },
      deps.clock(),
    );
  }

  async function download(
    first: string,
  ): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; reason: string }> {
    const doFetch = deps.fetch ?? globalThis.fetch;
    const signal = AbortSignal.timeout(timeoutMs);
    let url = new URL(first);
    try {
      for (let hop = 0; ; hop++) {
        const refusal = (await deps.guard?.refusal(url)) ?? null;
        if (refusal !== null) return { ok: false, reason: refusal };
        const res = await doFetch(url, {
          redirect: "manual",
          signal,
          headers: {
            Accept: "image/webp,image/png,image/jpeg,image/gif",
            "User-Agent": deps.userAgent,
          },
        });
        const location = res.headers.get("location");
        if (res.status >= 300 && res.status < 400 && location !== null) {
          await res.body?.cancel();
          if (hop >= MAX_REDIRECTS) return { ok: false, reason: "too many redirects" };
          url = new URL(location, url);
          if (url.protocol !== "https:" && url.protocol !== "http:") {
            return { ok: false, reason: `redirected to ${url.protocol}` };
          }
          continue;
        }
        if (res.status !== 200) {
          await res.body?.cancel();
          return { ok: false, reason: `answered ${res.status}` };
        }
        const declared = Number(res.headers.get("content-length") ?? "NaN");
        if (declared > maxBytes) {
          await res.body?.cancel();
          return { ok: false, reason: `${declared} bytes is over ${maxBytes}` };
        }
        const bytes = await readAtMost(res, maxBytes);
        return bytes === null
          ? { ok: false, reason: `more than ${maxBytes} bytes` }
          : { ok: true, bytes };
      }
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      if (name === "TimeoutError" || name === "AbortError") {
        return { ok: false, reason: `no avatar within ${timeoutMs} ms` };
      }
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  return {
    want(urls) {
      const now = deps.clock().getTime();
      for (const url of fetchableAvatars(urls)) {
        if (pending.has(url)) continue;
        const at = handled.get(url);
        if (at !== undefined && now - at < retryAfterMs) continue;
        pending.add(url);
        queued.push(url);
      }
      pump();
    },

    async read(key) {
      if (!isAvatarKey(key)) return null;
      const avatar = await deps.store.getAvatar(key);
      return avatar?.state === "ok" && avatar.data && avatar.mediaType
        ? { mediaType: avatar.mediaType, data: avatar.data }
        : null;
    },

    idle() {
      return new Promise((resolve) => {
        waiters.push(resolve);
        settle();
      });
    },
  };
}

/** The body, decoded, if it is at most `max` bytes; null (and the rest unread) if longer. */
async function readAtMost(res: Response, max: number): Promise<Uint8Array | null> {
  if (res.body === null) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
