/**
 * A stand-in for `src/main.ts` wired the same way but with a one-route HTML
 * app: lets the federation e2e suite run while pages are built elsewhere
 * (`LOA_E2E_ENTRY=standalone`). The real server is the default entry.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { loadConfig } from "../../src/config.ts";
import { openContent } from "../../src/content/source.ts";
import {
  createFederation,
  federationMiddleware,
  isGone,
  loadOrCreateKeys,
  startPublisher,
} from "../../src/federation/index.ts";
import { setupLogging } from "../../src/logging.ts";
import { openStorage } from "../../src/storage/open.ts";
import { createUrls } from "../../src/urls.ts";

const config = loadConfig();
await setupLogging(config);
const urls = createUrls(config.origin);
const content = await openContent(config.contentDir);
const storage = await openStorage(config);
const keys = await loadOrCreateKeys(config.keysDir);
const deps = {
  config,
  urls,
  content,
  keys,
  store: storage.store,
  kv: storage.kv,
  queue: storage.queue,
};
const federation = createFederation({ ...deps, manuallyStartQueue: true });
const abort = new AbortController();
const queueDone = federation.startQueue(undefined, { signal: abort.signal });
const publisher = startPublisher({ ...deps, federation });

const app = new Hono();
app.use(federationMiddleware(federation));
app.get("/articles/:slug", async (c) => {
  const slug = c.req.param("slug");
  c.header("Vary", "Accept");
  if (content.published().some((a) => a.slug === slug)) return c.html(`<h1>${slug}</h1>`);
  return (await isGone(storage.store, slug)) ? c.text("Gone", 410) : c.notFound();
});
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
process.on("SIGTERM", async () => {
  server.close();
  await publisher.close();
  abort.abort();
  await queueDone.catch(() => {});
  await content.close();
  await storage.close();
  process.exit(0);
});
