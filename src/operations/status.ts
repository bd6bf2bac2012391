/**
 * What `npm run status` reports: followers by server, the delivery queue, and
 * how far each recent activity got with each receiving server. Collected from
 * the store and queue through their interfaces, so it reads the same on
 * SQLite (beside a running server: WAL lets it read while the server writes)
 * and on PostgreSQL. Rendering is in `status-render.ts`.
 */
import type { MessageQueue } from "@fedify/fedify";
import type { ActivityProgress, DeliveryStore } from "../storage/deliveries.ts";
import type { Store } from "../storage/store.ts";

/** What {@link collectStatus} reads. */
export interface StatusDeps {
  store: Pick<Store, "countFollowers" | "listFollowers"> &
    Pick<DeliveryStore, "listActivityProgress">;
  /** Fedify's queue; `getDepth` is optional in its interface. */
  queue: Pick<MessageQueue, "getDepth">;
  clock: () => Date;
}

/** How much {@link collectStatus} gathers. */
export interface StatusOptions {
  /** Latest activities to show. Default 10. */
  activities?: number;
  /** Follower servers to name (the rest are counted). Default 10. */
  topServers?: number;
}

/** One server and how many of something it has. */
export interface ServerCount {
  /** Host, with its port when not the default. */
  server: string;
  count: number;
}

/** One activity's fan-out. */
export interface ActivityStatus {
  activityId: string;
  firstAt: Date;
  delivered: number;
  pending: number;
  failed: number;
  /** delivered + pending + failed: the inboxes it goes to. */
  total: number;
  /** Servers whose last attempt failed (still being retried, or given up). */
  failingServers: string[];
}

/** Everything `npm run status` shows; `--json` prints exactly this. */
export interface StatusReport {
  collectedAt: Date;
  followers: {
    total: number;
    /** Distinct servers the followers are on. */
    servers: number;
    /** The servers with most followers, most first (ties by name). */
    top: ServerCount[];
  };
  /**
   * Messages waiting (not those being handled), and of them how many are
   * ready now or delayed (a retry's backoff); null where the backend cannot
   * tell. The whole is null when the queue cannot count its messages.
   */
  queue: { queued: number; ready: number | null; delayed: number | null } | null;
  /** Newest first. */
  activities: ActivityStatus[];
  /** Servers failing in the activities above, with how many of them each fails in; most first. */
  failingServers: ServerCount[];
}

const PAGE = 500;

/** Reads the report; every read is one of the store's or queue's own queries. */
export async function collectStatus(
  deps: StatusDeps,
  options: StatusOptions = {},
): Promise<StatusReport> {
  const [total, byServer, depth, progress] = await Promise.all([
    deps.store.countFollowers(),
    followersByServer(deps.store),
    deps.queue.getDepth ? deps.queue.getDepth() : Promise.resolve(null),
    deps.store.listActivityProgress(options.activities ?? 10),
  ]);
  const activities = progress.map(toActivityStatus);
  return {
    collectedAt: deps.clock(),
    followers: {
      total,
      servers: byServer.size,
      top: ranked(byServer).slice(0, options.topServers ?? 10),
    },
    queue: depth && {
      queued: depth.queued,
      ready: depth.ready ?? null,
      delayed: depth.delayed ?? null,
    },
    activities,
    failingServers: ranked(tally(activities.flatMap((a) => a.failingServers))),
  };
}

/** The host an actor or inbox URL is on, with its port when not the default. */
export function serverOf(url: string): string {
  return URL.parse(url)?.host || "(invalid URL)";
}

async function followersByServer(store: StatusDeps["store"]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const page = await store.listFollowers({ cursor, limit: PAGE });
    for (const follower of page.items) {
      const server = serverOf(follower.actorId);
      counts.set(server, (counts.get(server) ?? 0) + 1);
    }
    cursor = page.next;
  } while (cursor !== null);
  return counts;
}

function toActivityStatus(progress: ActivityProgress): ActivityStatus {
  return {
    activityId: progress.activityId,
    firstAt: progress.firstAt,
    delivered: progress.delivered,
    pending: progress.pending,
    failed: progress.failed,
    total: progress.delivered + progress.pending + progress.failed,
    failingServers: [...new Set(progress.failingHosts)],
  };
}

function tally(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function ranked(counts: ReadonlyMap<string, number>): ServerCount[] {
  return [...counts]
    .map(([server, count]) => ({ server, count }))
    .sort((a, b) => b.count - a.count || a.server.localeCompare(b.server));
}
