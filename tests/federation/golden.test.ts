/**
 * Golden files of the JSON-LD we publish (actor and Note), against fixed keys,
 * a fixed origin and fixed content, in addition to the field-by-field e2e
 * assertions. A diff here is a change peers will see: review it.
 */

import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KvStore } from "@fedify/fedify";
import { Hono } from "hono";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { openContent } from "../../src/content/source.ts";
import type { ContentSource } from "../../src/content/types.ts";
import { createFederation, loadOrCreateKeys } from "../../src/federation/index.ts";
import { recordMove } from "../../src/federation/move.ts";
import { openStorage, type Storage } from "../../src/storage/open.ts";
import { createUrls } from "../../src/urls.ts";
import { federationMiddleware } from "../../src/web/federation-middleware.ts";
import type { WebEnv } from "../../src/web/header-policy.ts";
import { AS2, SITE_YML, writeArticle } from "./e2e.ts";

let base: string;
let content: ContentSource;
let storage: Storage;
let app: Hono<WebEnv>;
let kv: KvStore;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "loa-golden-"));
  const contentDir = join(base, "content");
  await mkdir(join(contentDir, "articles"), { recursive: true });
  // An earlier account the town moved from (`alsoKnownAs`).
  await writeFile(
    join(contentDir, "site.yml"),
    SITE_YML.replace("actor:\n", "actor:\n  aliases: [https://mastodon.example/users/cualo]\n"),
  );
  await writeArticle(
    contentDir,
    "cai-cach",
    [
      "title: Cửa Lò đẩy mạnh cải cách hành chính",
      "published: 2021-03-18T15:00:00+07:00",
      "tags: [Cải cách hành chính]",
      "pinned: true",
      "image: { url: 'https://cualo.example.vn/anh/cchc.jpg', alt: 'Bộ phận một cửa' }",
    ],
    "Thị xã **Cửa Lò** triển khai *một cửa* & dịch vụ công <trực tuyến>.\n",
  );
  const config = loadConfig({ ORIGIN: "https://cualo.example.vn", DATA_DIR: join(base, "data") });
  content = await openContent(contentDir, { watch: false });
  storage = await openStorage(config);
  // A private copy: a checkout gives the fixture files 0644, and keys must be 0600.
  const keysDir = join(base, "keys");
  await mkdir(keysDir, { mode: 0o700 });
  for (const file of ["rsa.jwk.json", "ed25519.jwk.json"]) {
    await copyFile(join(import.meta.dirname, "fixtures/keys", file), join(keysDir, file));
    await chmod(join(keysDir, file), 0o600);
  }
  const keys = await loadOrCreateKeys(keysDir);
  keys.createdAt = new Date("2021-01-01T00:00:00Z");
  kv = storage.kv;
  const federation = createFederation({
    config,
    urls: createUrls(config.origin),
    content,
    keys,
    store: storage.store,
    kv: storage.kv,
    lanes: storage.lanes,
    clock: () => new Date("2026-05-01T00:00:00Z"),
    manuallyStartQueue: true,
    onInteraction: () => {},
    observeDelivery: () => {},
  });
  app = new Hono().use(federationMiddleware(federation, config.origin));
});

afterAll(async () => {
  await content?.close();
  await storage?.close();
  await rm(base, { recursive: true, force: true });
});

async function jsonLd(path: string): Promise<string> {
  const res = await app.request(`https://cualo.example.vn${path}`, { headers: { Accept: AS2 } });
  expect(res.status).toBe(200);
  return `${JSON.stringify(await res.json(), null, 2)}\n`;
}

it("publishes the actor as in the golden file", async () => {
  await expect(await jsonLd("/users/cualo")).toMatchFileSnapshot("golden/actor.jsonld.snap");
});

it("writes alsoKnownAs as a JSON array even with one alias (snac and other strict readers take nothing else)", async () => {
  const res = await app.request("https://cualo.example.vn/users/cualo", {
    headers: { Accept: AS2 },
  });
  const actor = (await res.json()) as { alsoKnownAs?: unknown };
  expect(actor.alsoKnownAs).toEqual(["https://mastodon.example/users/cualo"]);
});

it("publishes a Note as in the golden file", async () => {
  await expect(await jsonLd("/articles/cai-cach")).toMatchFileSnapshot("golden/note.jsonld.snap");
});

it("publishes the featured collection (the pinned article) as in the golden file", async () => {
  await expect(await jsonLd("/users/cualo/featured")).toMatchFileSnapshot(
    "golden/featured.jsonld.snap",
  );
});

it("publishes the moved actor (movedTo) as in the golden file", async () => {
  await recordMove(kv, {
    target: "https://tin.cualo.example/users/cualo",
    version: 1,
    at: "2026-05-01T00:00:00.000Z",
  });
  await expect(await jsonLd("/users/cualo")).toMatchFileSnapshot("golden/actor-moved.jsonld.snap");
});
