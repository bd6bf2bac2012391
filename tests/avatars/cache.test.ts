/**
 * Remote avatars fetched once, checked and re-encoded, on a real SQLite store
 * against a sender's server on loopback that counts what it is asked.
 */
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AvatarCache, createAvatarCache } from "../../src/avatars/cache.ts";
import { avatarKey } from "../../src/media/avatar-key.ts";
import { createOutboundAgent } from "../../src/net/outbound-agent.ts";
import { openStorage, type Storage } from "../../src/storage/open.ts";
import { type AvatarHost, startAvatarHost } from "../helpers/avatar-host.ts";
import { containsText } from "../helpers/pictures.ts";
import { tempDir } from "../storage/backends.ts";

let host: AvatarHost;
let storage: Storage;

beforeAll(async () => {
  host = await startAvatarHost();
  storage = await openStorage({ dataDir: tempDir(), databaseUrl: undefined });
});

afterAll(async () => {
  await storage?.close();
  await host?.close();
});

/** The cache on the process's own HTTP client (`net/outbound-agent.ts`), as `main.ts` installs it. */
function cache(allowPrivate = true): AvatarCache {
  const dispatcher = createOutboundAgent({
    connectMs: 5000,
    responseMs: 20_000,
    maxBytes: 1024 * 1024,
    allowPrivate,
  });
  return createAvatarCache({
    store: storage.store,
    clock: () => new Date(),
    fetch: (input, init) => fetch(input, { ...init, dispatcher } as RequestInit),
    userAgent: "loa-test",
    timeoutMs: 20_000,
  });
}

describe("the avatar cache", { timeout: 60_000 }, () => {
  it("fetches an avatar once, however often it is wanted, and keeps a small WebP without metadata", async () => {
    const url = `${host.origin}/ok/lan.png`;
    const avatars = cache();
    for (let i = 0; i < 5; i++) avatars.want([url, url, null, "javascript:alert(1)"]);
    await avatars.idle();
    // Another process (another cache on the same store) does not fetch it again.
    const other = cache();
    other.want([url]);
    await other.idle();
    expect(host.seen("/ok/lan.png")).toBe(1);
    const stored = await avatars.read(avatarKey(url));
    expect(stored?.mediaType).toBe("image/webp");
    const meta = await sharp(stored?.data).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 96, 96]);
    expect(containsText(stored?.data ?? new Uint8Array(), "PhoneMakerX")).toBe(false);
  });

  it("refuses an SVG and a 50 MB body, declared or not, and shows nothing of them", async () => {
    const avatars = cache();
    const urls = ["/svg/a.png", "/huge-declared/b.png", "/huge-chunked/c.png"].map(
      (p) => `${host.origin}${p}`,
    );
    avatars.want(urls);
    await avatars.idle();
    for (const url of urls) {
      expect(await avatars.read(avatarKey(url)), url).toBeNull();
      expect((await storage.store.getAvatar(avatarKey(url)))?.state, url).toBe("failed");
    }
    // Refused once is not asked again soon.
    avatars.want(urls);
    await avatars.idle();
    expect(host.seen("/svg/a.png")).toBe(1);
  });

  it("never asks a loopback or private address unless allowed", async () => {
    const url = `${host.origin}/ok/private.png`;
    const avatars = cache(false);
    avatars.want([url]);
    await avatars.idle();
    expect(host.seen("/ok/private.png")).toBe(0);
    expect(await avatars.read(avatarKey(url))).toBeNull();
  });
});
