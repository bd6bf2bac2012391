import { createServer, type Server } from "node:http";
import { getLogger } from "@logtape/logtape";
import { createListener } from "./app.ts";
import { createAvatarCache } from "./avatars/cache.ts";
import { systemClock } from "./clock.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { SiteError } from "./content/load.ts";
import { openContent } from "./content/source.ts";
import { share, startDeliveryThreads } from "./delivery/threads.ts";
import { wakeOnEnqueue } from "./delivery/wake.ts";
import { createFederation, KeyFileError, loadOrCreateKeys } from "./federation/index.ts";
import { setupLogging } from "./logging.ts";
import { startMail } from "./mail/index.ts";
import { newsroomOrigin, storePictures } from "./newsroom/articles/origin.ts";
import { createArticleService } from "./newsroom/articles/service.ts";
import { ARTICLE_PATHS } from "./newsroom/pages/paths.ts";
import { startInstruments } from "./operations/instruments.ts";
import { installProcessErrorPolicy } from "./operations/process-errors.ts";
import { settleMemoryAfterStartup } from "./operations/settle-memory.ts";
import { holdTickShape } from "./operations/tick-shape.ts";
import { startPublisher } from "./publish/publisher.ts";
import { createConversations } from "./read-models/conversations.ts";
import { oldestDueSeconds, totalDepth } from "./storage/lanes.ts";
import { openStorage } from "./storage/open.ts";
import { createUrls } from "./urls.ts";
import { createSiteResources } from "./web/site-resources.ts";
import { loadValidatorHistory } from "./web/validator-history.ts";
import { createHub } from "./websub/index.ts";

/**
 * `all` (the default, `npm start`): serve, reconcile and deliver in one process
 * (deliveries also on `DELIVERY_THREADS` threads beside the one that serves).
 * `web`: serve HTTP and reconcile content (one web process at a time holds the
 * reconcile lease); `worker`: only deliver queued activities.
 */
type Role = "all" | "web" | "worker";

const logger = getLogger(["loa", "main"]);

function parseRole(arg: string | undefined): Role {
  if (arg === undefined || arg === "all" || arg === "web" || arg === "worker") return arg ?? "all";
  throw new ConfigError(`unknown role "${arg}": use all, web or worker`);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const role = parseRole(process.argv[2]);
  await setupLogging(config);
  installProcessErrorPolicy();
  // Before any request: the start-up collection below must not drop nextTick's shape.
  holdTickShape();
  if (role !== "all" && !config.databaseUrl) {
    throw new ConfigError(
      `the ${role} role shares state through DATABASE_URL; without it use npm start`,
    );
  }

  const urls = createUrls(config.origin);
  const clock = systemClock;
  // In `npm start` the main thread keeps its share of the deliveries beside the
  // delivery threads (measured in docs/performance.md): one thread fewer to hold
  // in memory for the same throughput.
  const consumers = (role === "all" ? config.deliveryThreads : 0) + 1;
  const workers = share(config.queueWorkers, consumers);
  const storage = await openStorage(config, {
    queue: { workers, leaseMs: config.queueLeaseMs },
  });
  // One content source over the files and the newsroom's published articles.
  const pictures = storePictures(storage.store, urls);
  const content = await openContent(config.contentDir, {
    watch: role !== "worker",
    clock,
    origin: newsroomOrigin({ store: storage.store, pictures, origin: config.origin }),
  });
  // Review notices (SMTP_URL unset: off); every process sends from the shared outbox.
  const mail = startMail({
    config,
    store: storage.store,
    clock,
    articleUrl: (id) => new URL(ARTICLE_PATHS.edit(id), config.origin).href,
    site: () => content.current().site,
  });
  const articles = createArticleService({
    store: storage.store,
    clock,
    content,
    pictures,
    ...(mail.notify ? { notify: mail.notify } : {}),
    // A publish here shows on every page and feed, and is federated, at once.
    changed: () => {
      content.reload().catch((error: unknown) => {
        logger.error("Content reload after a newsroom change failed: {error}", { error });
      });
    },
  });
  const keys = await loadOrCreateKeys(config.keysDir);
  // Remote avatars, fetched once in the background and served from here.
  const avatars = createAvatarCache({
    store: storage.store,
    clock,
    userAgent: `loa (+${urls.home()})`,
  });
  const conversations = createConversations({ store: storage.store, clock, avatars });
  const queueAbort = new AbortController();
  const instruments = await startInstruments({
    config,
    store: storage.store,
    queue: { getDepth: () => totalDepth(storage.lanes) },
    oldestDueSeconds: () => oldestDueSeconds(storage.lanes),
    content,
    clock,
    consumes: role !== "web",
  });
  const observeDelivery = instruments.metrics?.observeDelivery ?? (() => {});
  const deps = {
    config,
    urls,
    content,
    keys,
    store: storage.store,
    kv: storage.kv,
    clock,
  };
  // The WebSub hub's verifications and pushes have a lane of their own.
  const hub = createHub({ ...deps, queue: storage.lanes.hub, userAgent: `loa (+${urls.home()})` });
  // Started when deliveries are due, stopped when the lane is idle (see delivery/threads.ts).
  const threads =
    role === "all" && consumers > 1
      ? startDeliveryThreads({
          threads: consumers - 1,
          workers,
          observeDelivery,
          due: async () => ((await storage.lanes.delivery.getDepth()).ready ?? 0) > 0,
          signal: queueAbort.signal,
          idleMs: config.deliveryThreadsIdleMs,
        })
      : null;
  const federation = createFederation({
    ...deps,
    lanes: threads
      ? { ...storage.lanes, delivery: wakeOnEnqueue(storage.lanes.delivery, threads.wake) }
      : storage.lanes,
    manuallyStartQueue: true,
    onInteraction: conversations.changed,
    observeDelivery,
  });

  const queueDone =
    role === "web"
      ? Promise.resolve()
      : Promise.all([
          // This thread: incoming activities, its share of the deliveries, the hub.
          federation.startQueue(queueAbort.signal),
          hub.listen(queueAbort.signal),
          // The delivery threads: deliveries only.
          threads?.done,
        ]).then(() => undefined);
  if (role !== "web") instruments.watchConsumer(queueDone, queueAbort.signal, threads?.down);
  const publisher =
    role === "worker" ? null : startPublisher({ ...deps, send: federation.sendToFollowers });

  let server: Server | null = null;
  // Each page's and feed's Last-Modified, kept across restarts so it never goes back.
  const validators = role === "worker" ? null : await loadValidatorHistory(storage.kv);
  // One set of rendered feeds, served and watched for changes by the hub.
  const resources = validators
    ? createSiteResources({ config, urls, content, clock, conversations, validators })
    : null;
  const distributor = resources ? hub.distribute(resources, content) : null;
  if (validators && resources) {
    // Not a literal: `articles` joins the newsroom's deps where the editor's routes take it.
    const newsroom = {
      store: storage.store,
      conversations,
      clock,
      config,
      content,
      urls,
      avatars,
      articles,
      mail: mail.queue,
    };
    const listener = createListener({
      config,
      urls,
      content,
      clock,
      federation,
      isGone: federation.isGone,
      health: instruments.health,
      conversations,
      observeRequest: instruments.metrics?.observeRequest ?? null,
      newsroom,
      images: {
        rendition: (id, name) => storage.store.getRendition(id, name),
        avatar: (key) => avatars.read(key),
      },
      validators,
      resources,
      hub: hub.routes(resources),
    });
    const listening = createServer(listener);
    listening.listen(config.port, config.host, () => {
      const address = listening.address();
      logger.info("Loa ({role}, {backend}) serving {origin} on {host}:{port}", {
        role,
        backend: storage.backend,
        origin: config.origin.href,
        host: typeof address === "object" && address ? address.address : config.host,
        port: typeof address === "object" && address ? address.port : config.port,
      });
    });
    server = listening;
  } else {
    logger.info("Loa worker ({backend}) delivering queued activities", {
      backend: storage.backend,
    });
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("Received {signal}; draining", { signal });
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await publisher?.close();
    await distributor?.close();
    await validators?.flush();
    await mail.stop();
    queueAbort.abort();
    // Handlers already running finish; unfinished messages stay leased and return to the queue.
    await queueDone.catch(() => {});
    await instruments.close();
    await content.close();
    await storage.close();
    logger.info("Stopped cleanly");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  settleMemoryAfterStartup();
}

main().catch((error: unknown) => {
  if (error instanceof SiteError) {
    // One line an operator can act on: the file, then each field and reason.
    console.error(`Loa cannot start: ${error.file}: ${error.problems.join("; ")}`);
  } else if (error instanceof ConfigError || error instanceof KeyFileError) {
    console.error(`Loa cannot start: ${error.message}`);
  } else {
    console.error("Loa cannot start:", error);
  }
  process.exit(1);
});
