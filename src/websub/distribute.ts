/**
 * Notices which topics changed and enqueues one push per live subscriber.
 * Runs on every content change, and every minute (a change seen while another
 * process held the lease, a subscriber's lease ending). One process at a time
 * (the store's lease, as the publisher does): on PostgreSQL several web
 * processes watch the same content. A topic changed when its current ETag
 * differs from the one last distributed (kept durably, `bodies.ts`).
 */
import type { MessageQueue } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Clock } from "../clock.ts";
import type { ContentSource } from "../content/types.ts";
import type { HubStore } from "../storage/hub.ts";
import { startLeasedJob } from "../storage/leased-job.ts";
import type { Store } from "../storage/store.ts";
import type { Rendered } from "../web/conditional.ts";
import type { Topic } from "../web/feed-resources.ts";
import type { TopicBodies } from "./bodies.ts";
import type { PushMessage } from "./messages.ts";

const logger = getLogger(["loa", "websub", "distribute"]);

const SCHEDULE = { lease: "websub-distribute", leaseTtlMs: 60_000, sweepIntervalMs: 60_000 };

export interface DistributorDeps {
  /** The feeds (`SiteResources`): the topics with their ETags, and each one's body. */
  feeds: { topics(): Topic[]; topic(url: string): Rendered | null };
  content: Pick<ContentSource, "onChange">;
  store: HubStore & Pick<Store, "acquireLease" | "releaseLease">;
  bodies: TopicBodies;
  queue: MessageQueue;
  clock: Clock;
}

export interface Distributor {
  /** Compares every topic with what was last distributed; resolves with the pushes enqueued. */
  run(): Promise<number>;
  /** Stops reacting and waits for a running pass. */
  close(): Promise<void>;
}

async function distributeTopic(deps: DistributorDeps, topic: Topic, now: Date): Promise<number> {
  const last = await deps.bodies.last(topic.url);
  if (last === topic.etag) return 0;
  const rendered = deps.feeds.topic(topic.url);
  if (rendered === null || rendered.etag !== topic.etag) return 0;
  // The body is stored before the pushes that name it are enqueued, and the
  // ETag marked distributed after: a crash in between pushes again (at least
  // once) rather than never.
  await deps.bodies.put(topic.url, {
    etag: topic.etag,
    contentType: rendered.contentType,
    link: rendered.headers.Link ?? "",
    body: new TextDecoder().decode(rendered.body),
  });
  // A topic seen for the first time has not changed: it is recorded, nobody is pushed.
  const subscribers = last === undefined ? [] : await deps.store.listSubscriptions(topic.url, now);
  const messages: PushMessage[] = subscribers.map((s) => ({
    type: "websub",
    action: "push",
    topic: topic.url,
    etag: topic.etag,
    callback: s.callback,
    secret: s.secret,
    expiresAt: s.expiresAt.getTime(),
    attempt: 0,
  }));
  if (messages.length > 0) {
    if (deps.queue.enqueueMany) await deps.queue.enqueueMany(messages);
    else for (const m of messages) await deps.queue.enqueue(m);
  }
  await deps.bodies.markDistributed(topic.url, topic.etag);
  if (messages.length > 0) {
    logger.info("{topic} changed: pushing to {count} subscriber(s)", {
      topic: topic.url,
      count: messages.length,
    });
  }
  return messages.length;
}

async function runOnce(deps: DistributorDeps): Promise<number> {
  let pushes = 0;
  const now = deps.clock();
  await deps.store.expireSubscriptions(now);
  for (const topic of deps.feeds.topics()) pushes += await distributeTopic(deps, topic, now);
  return pushes;
}

export function startDistributor(deps: DistributorDeps): Distributor {
  const job = startLeasedJob({
    ...SCHEDULE,
    store: deps.store,
    triggers: deps.content,
    pass: () => runOnce(deps),
    skipped: () => 0,
    logger,
    failureMessage: "WebSub distribution failed: {error}",
  });
  return { run: job.run, close: job.close };
}
