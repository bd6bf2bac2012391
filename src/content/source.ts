import { type FSWatcher, watch } from "node:fs";
import { realpath } from "node:fs/promises";
import { resolve } from "node:path";
import { getLogger } from "@logtape/logtape";
import { type Clock, systemClock } from "../clock.ts";
import { fingerprint } from "./fingerprint.ts";
import { type LoadOptions, loadContent } from "./load.ts";
import { mergeOrigin } from "./merge.ts";
import { treeSignature } from "./signature.ts";
import type { ArticleOrigin, ContentSnapshot, ContentSource } from "./types.ts";

const logger = getLogger(["loa", "content"]);

/** setTimeout's ceiling (~24.8 days); a later article re-arms the timer when it fires. */
const MAX_DELAY = 2 ** 31 - 1;
/** How long after a reload its listeners hear of it, in ms (see `notifySoon`). */
const NOTIFY_DELAY_MS = 15;

export interface OpenContentOptions extends LoadOptions {
  /** The time "now" for future-dated articles. Default: the system clock. */
  clock?: Clock;
  /** Watch the dir and reload on changes. Default true. */
  watch?: boolean;
  /** Quiet time after a file event before reloading, in ms. Default 300. */
  debounceMs?: number;
  /** How often to compare the tree's signature, in case fs.watch missed an event, in ms. Default 2500. */
  pollMs?: number;
  /** Articles from the newsroom's store, merged with the files into one snapshot. */
  origin?: ArticleOrigin;
  /** How often to ask the origin whether anything changed (another process's publish), in ms. Default 2000. */
  originPollMs?: number;
}

/**
 * Loads `dir` and keeps it current: file events (debounced) and a slow poll
 * trigger reloads; a timer announces future-dated articles when they come
 * due. Throws only if the first load fails (e.g. a bad `site.yml`); after
 * that, a failed reload is logged and the last good snapshot stays.
 */
export async function openContent(
  dir: string,
  options: OpenContentOptions = {},
): Promise<ContentSource> {
  const clock = options.clock ?? systemClock;
  const debounceMs = options.debounceMs ?? 300;
  const pollMs = options.pollMs ?? 2500;
  const shouldWatch = options.watch ?? true;
  const root = await realpath(resolve(dir)).catch(() => resolve(dir));

  const origin = options.origin;
  const originPollMs = options.originPollMs ?? 2000;
  /** Files and the origin's articles: one snapshot, one slug one article. */
  let originCounter = 0;
  const loadAll = async (): Promise<ContentSnapshot> => {
    const files = await loadContent(root, options);
    if (!origin) return files;
    // Read before loading: a change made meanwhile shows at the next poll.
    originCounter = await origin.changeCounter();
    return mergeOrigin(files, await origin.load(files.site));
  };

  const openedAt = clock().getTime();
  let lastSignature = await treeSignature(root);
  let snapshot = await loadAll();
  // Kept, not computed again from the old snapshot at each reload: at 10,000
  // articles each fingerprint costs tens of milliseconds.
  let snapshotPrint = fingerprint(snapshot);
  let version = 1;
  let changedAt = new Date(openedAt);
  let closed = false;
  const listeners = new Set<(snapshot: ContentSnapshot) => void>();
  let watcher: FSWatcher | null = null;
  let debounceTimer: NodeJS.Timeout | undefined;
  let dueTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let originTimer: NodeJS.Timeout | undefined;
  let polling = false;

  const tell = (listener: (snapshot: ContentSnapshot) => void) => {
    try {
      const result: unknown = listener(snapshot);
      if (result instanceof Promise) {
        result.catch((error: unknown) =>
          logger.error("Content listener failed: {error}", { error }),
        );
      }
    } catch (error) {
      logger.error("Content listener failed: {error}", { error });
    }
  };
  const notify = () => {
    for (const listener of listeners) tell(listener);
  };

  // Readers see a new snapshot at once; the listeners (feeds for WebSub, the
  // publisher's plan: hundreds of milliseconds at 10,000 articles, holding
  // the event loop) start a moment later, so that a request already waiting,
  // such as the page of the article just published, is answered first.
  let notifyTimer: NodeJS.Timeout | undefined;
  const notifySoon = () => {
    if (notifyTimer !== undefined) return;
    notifyTimer = setTimeout(() => {
      notifyTimer = undefined;
      // One listener a turn, in the order they came (the publisher first): a
      // listener's synchronous work then delays neither the requests waiting
      // nor the first listener's deliveries.
      const queue = [...listeners];
      const next = () => {
        const listener = queue.shift();
        if (listener === undefined || closed) return;
        tell(listener);
        setImmediate(next);
      };
      next();
    }, NOTIFY_DELAY_MS);
  };

  // Articles published up to this time have been announced (or were visible
  // from the start). Comparing against it, rather than trusting one timer,
  // also announces an article whose time came while a reload kept the event
  // loop busy, or whose timer was cleared by that reload.
  let announcedUpTo = openedAt;
  const announceDue = () => {
    const now = clock().getTime();
    const due = snapshot.articles.some((a) => {
      const t = a.published.getTime();
      return t > announcedUpTo && t <= now;
    });
    announcedUpTo = now;
    if (!due) return;
    version++;
    changedAt = new Date(now);
    logger.info("A scheduled article is now due; version {version}", { version });
    notify();
  };

  const scheduleDue = () => {
    clearTimeout(dueTimer);
    if (closed) return;
    announceDue();
    const now = clock().getTime();
    let next = Number.POSITIVE_INFINITY;
    for (const a of snapshot.articles) {
      const t = a.published.getTime();
      if (t > now && t < next) next = t;
    }
    if (next === Number.POSITIVE_INFINITY) return;
    // Timers may fire a little early, and a long wait is capped: the next
    // run checks the clock and re-arms.
    dueTimer = setTimeout(scheduleDue, Math.min(next - now + 1, MAX_DELAY));
    dueTimer.unref();
  };

  const load = async (): Promise<ContentSnapshot> => {
    const signature = await treeSignature(root);
    const next = await loadAll();
    if (closed) return snapshot;
    lastSignature = signature;
    const nextPrint = fingerprint(next);
    const changed = nextPrint !== snapshotPrint;
    snapshot = next;
    snapshotPrint = nextPrint;
    if (changed) {
      // The new snapshot's readers see every article due by now.
      announcedUpTo = clock().getTime();
      version++;
      changedAt = new Date(announcedUpTo);
      logger.info("Content reloaded: {articles} articles, {problems} problems; version {version}", {
        articles: next.articles.length,
        problems: next.problems.length,
        version,
      });
      notifySoon();
    }
    scheduleDue();
    return snapshot;
  };

  // Reloads run one at a time; calls made while one waits to start share it.
  let running: Promise<unknown> = Promise.resolve();
  let queued: Promise<ContentSnapshot> | null = null;
  const reload = (): Promise<ContentSnapshot> => {
    if (queued) return queued;
    const p = running.then(() => {
      queued = null;
      return load();
    });
    queued = p;
    running = p.catch(() => undefined);
    return p;
  };

  const reloadQuietly = () => {
    if (closed) return;
    reload().catch((error: unknown) => {
      logger.error("Content reload failed; still serving the last good content: {error}", {
        error,
      });
    });
  };

  const schedule = () => {
    if (closed) return;
    clearTimeout(debounceTimer);
    debounceTimer = setTimeout(reloadQuietly, debounceMs);
    debounceTimer.unref();
  };

  const startWatcher = () => {
    try {
      watcher = watch(root, { recursive: true, persistent: false }, schedule);
      watcher.on("error", (error) => {
        logger.warning("Watching {dir} failed, polling only: {error}", { dir: root, error });
        watcher?.close();
        watcher = null;
      });
    } catch (error) {
      logger.warning("Cannot watch {dir}, polling only: {error}", { dir: root, error });
      watcher = null;
    }
  };

  if (shouldWatch) {
    startWatcher();
    pollTimer = setInterval(async () => {
      if (polling || closed) return;
      polling = true;
      try {
        if (!watcher) startWatcher(); // the dir may have come back
        if ((await treeSignature(root)) !== lastSignature) schedule();
        scheduleDue(); // a safety net for a timer that never fired
      } finally {
        polling = false;
      }
    }, pollMs);
    pollTimer.unref();
  }
  if (origin) {
    let asking = false;
    originTimer = setInterval(async () => {
      if (asking || closed) return;
      asking = true;
      try {
        if ((await origin.changeCounter()) !== originCounter) reloadQuietly();
      } catch (error) {
        logger.warning("Could not ask the newsroom for changes: {error}", { error });
      } finally {
        asking = false;
      }
    }, originPollMs);
    originTimer.unref();
  }
  scheduleDue();

  return {
    current: () => snapshot,
    published: (now = clock()) =>
      snapshot.articles.filter((a) => a.published.getTime() <= now.getTime()),
    get version() {
      return version;
    },
    get changedAt() {
      return changedAt;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    reload,
    async close() {
      closed = true;
      clearTimeout(debounceTimer);
      clearTimeout(dueTimer);
      clearTimeout(notifyTimer);
      clearInterval(pollTimer);
      clearInterval(originTimer);
      watcher?.close();
      watcher = null;
      listeners.clear();
      await running;
    },
  };
}
