/**
 * Avatars on a public page, against the real server in its own process: the
 * `<img>` is on our origin, the sender's server is asked once however often
 * the page is viewed, and a refused avatar shows the placeholder.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AVATAR_PLACEHOLDER } from "../../src/media/avatar-image.ts";
import { articleText, makeContentDir, type TempContent } from "../fixtures/content/make-dir.ts";
import { author, reply } from "../fixtures/replies.ts";
import { type AvatarHost, startAvatarHost } from "../helpers/avatar-host.ts";
import { elementsNamed } from "../helpers/html.ts";
import { withServerStore } from "../helpers/newsroom.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { until } from "../storage/backends.ts";

const SLUG = "thong-bao-lich-tiep-dan";
let server: TestServer;
let content: TempContent;
let host: AvatarHost;

beforeAll(async () => {
  host = await startAvatarHost();
  content = await makeContentDir({
    [`articles/${SLUG}.md`]: articleText([
      'title: "Thông báo lịch tiếp dân"',
      "published: 2021-03-18T15:00:00+07:00",
    ]),
  });
  server = await startServer({ contentDir: content.dir });
  const inReplyTo = `${server.origin}/articles/${SLUG}`;
  await withServerStore(server.dataDir, async (store) => {
    for (const [user, path] of [
      ["lan", "/ok/lan.png"],
      ["evil", "/svg/evil.png"],
    ] as const) {
      const by = { ...author(user), avatarUrl: `${host.origin}${path}` };
      await store.putInteraction(reply(user, { author: by, slug: SLUG, inReplyTo }));
    }
  });
}, 60_000);

afterAll(async () => {
  await server?.cleanup();
  await content?.cleanup();
  await host?.close();
});

async function avatarsOnPage(): Promise<Map<string, string>> {
  const res = await fetch(`${server.origin}/articles/${SLUG}`);
  expect(res.headers.get("content-security-policy")).toContain("img-src 'self' data:");
  const html = await res.text();
  const out = new Map<string, string>();
  for (const img of elementsNamed(html, "img")) {
    if (img.attribs.class === "avatar") out.set(img.attribs.src ?? "", html);
  }
  return out;
}

describe("avatars on a public page", { timeout: 120_000 }, () => {
  it("are shown from our origin, and the sender is asked once however often the page is viewed", async () => {
    let srcs: string[] = [];
    await until(async () => {
      srcs = [...(await avatarsOnPage()).keys()];
      return srcs.length === 2;
    }, 60_000);
    for (const src of srcs) expect(src).toMatch(/^\/avatars\/[0-9a-f]{32}$/);
    // Fetched in the background: until then (and when refused) the placeholder shows.
    const served = async () =>
      Promise.all(
        srcs.map(async (src) => {
          const res = await fetch(`${server.origin}${src}`);
          return {
            type: res.headers.get("content-type"),
            cache: res.headers.get("cache-control"),
            nosniff: res.headers.get("x-content-type-options"),
            bytes: Buffer.from(await res.arrayBuffer()),
          };
        }),
      );
    await until(async () => (await served()).some((a) => a.cache?.includes("immutable")), 60_000);
    await until(() => host.seen("/svg/evil.png") === 1, 60_000);
    for (let i = 0; i < 10; i++) await avatarsOnPage();
    const answers = await served();
    const real = answers.filter((a) => a.cache?.includes("immutable"));
    const placeholders = answers.filter((a) => a.bytes.equals(AVATAR_PLACEHOLDER));
    expect(real).toHaveLength(1);
    expect(placeholders).toHaveLength(1);
    expect(placeholders[0]?.cache).toBe("no-cache");
    for (const a of answers) {
      expect(a.type).toBe("image/webp");
      expect(a.nosniff).toBe("nosniff");
    }
    expect(host.seen("/ok/lan.png")).toBe(1);
    expect(host.seen("/svg/evil.png")).toBe(1);
  });
});
