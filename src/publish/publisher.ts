import { getLogger } from "@logtape/logtape";
import type { Article } from "../content/types.ts";
import { startLeasedJob } from "../storage/leased-job.ts";
import type { LedgerEntry } from "../storage/store.ts";
import { ledgerActivity, noteContext } from "./activities.ts";
import type { PublishDeps } from "./deps.ts";
import { beginPublication, currentNoteId, recordSent } from "./note-history.ts";
import { planChanges } from "./plan.ts";
import { announceProfileChange } from "./profile.ts";

const logger = getLogger(["loa", "publish", "publisher"]);

/** Turns content changes into Create/Update/Delete deliveries. */
export interface Publisher {
  /** Diffs `content/` against the ledger and sends what changed. */
  reconcile(): Promise<ReconcileResult>;
  /** Stops reacting to changes and waits for a running reconcile. */
  close(): Promise<void>;
}

export interface ReconcileResult {
  created: number;
  updated: number;
  deleted: number;
}

const SCHEDULE = {
  lease: "federation-reconcile",
  leaseTtlMs: 60_000,
  /** Retries activities whose enqueue failed, and takes over from a dead lease holder. */
  sweepIntervalMs: 5 * 60_000,
};
/**
 * A Create for an article published longer ago than this is recorded (and in
 * the outbox) but not pushed: Mastodon keeps posts older than ~6 hours out of
 * home timelines anyway, and pushing an archive (like the 2021 seed) at once
 * would flood every follower's inbox for nothing.
 */
export const BACKDATED_MS = 24 * 60 * 60_000;

/**
 * Before the ledger write: the Note id this entry carries (a new one when it
 * publishes the article again after a Delete) and the record that keeps its
 * activity id dereferenceable once a later activity replaces it.
 */
async function prepareNoteId(deps: PublishDeps, entry: LedgerEntry, now: Date): Promise<URL> {
  let deletedAt = now;
  if (entry.action === "create" && entry.version > 1) {
    const previous = await deps.store.getLedgerEntry(entry.slug);
    if (previous?.action === "delete") deletedAt = previous.updated ?? now;
  }
  const history = await beginPublication(deps.kv, deps.urls, entry, deletedAt);
  const noteId = currentNoteId(deps.urls, entry.slug, history);
  await recordSent(deps.kv, entry, noteId);
  return new URL(noteId);
}

async function deliver(
  deps: PublishDeps,
  entry: LedgerEntry,
  article: Article | undefined,
  now: Date,
): Promise<boolean> {
  // An article coming back after a Delete is pushed however old it is: its
  // followers were told it was gone, and would otherwise never see it again.
  const backdated =
    entry.action === "create" &&
    entry.version === 1 &&
    now.getTime() - entry.published.getTime() > BACKDATED_MS;
  const noteId = await prepareNoteId(deps, entry, now);
  if (!backdated) {
    // The entry (with its deterministic activity id) is written before the
    // enqueue: a crash in between leaves queuedAt null, and the next reconcile
    // re-sends the same activity id instead of losing or doubling the change.
    // (A backdated Create is not sent, so one write below records it.)
    await deps.store.putLedgerEntry({ ...entry, queuedAt: null });
    const username = deps.content.current().site.actor.username;
    const activity = ledgerActivity(noteContext(deps.urls, username), entry, article, noteId);
    if (activity == null) return false;
    try {
      await deps.send(activity, { orderingKey: deps.urls.article(entry.slug) });
    } catch (error) {
      logger.error("Could not enqueue {activity}; will retry: {error}", {
        activity: entry.activityId,
        error,
      });
      return false;
    }
  }
  await deps.store.putLedgerEntry({ ...entry, queuedAt: now });
  const message = backdated
    ? "Recorded backdated {slug} as {activity} without pushing it"
    : "Sent {action} of {slug} as {activity}";
  logger.info(message, { action: entry.action, slug: entry.slug, activity: entry.activityId });
  return true;
}

async function reconcileOnce(deps: PublishDeps): Promise<ReconcileResult> {
  const result: ReconcileResult = { created: 0, updated: 0, deleted: 0 };
  const now = deps.clock();
  const changes = planChanges({
    urls: deps.urls,
    snapshot: deps.content.current(),
    published: deps.content.published(now),
    ledger: await deps.store.listLedger(),
    now,
  });
  for (const { entry, article } of changes.send) {
    if (!(await deliver(deps, entry, article, now))) continue;
    if (entry.action === "create") result.created++;
    else if (entry.action === "update") result.updated++;
    else result.deleted++;
  }
  for (const warning of changes.warnings) logger.warning(warning);
  try {
    await announceProfileChange(deps);
  } catch (error) {
    logger.error("Could not announce the profile change; will retry: {error}", { error });
  }
  return result;
}

/**
 * Reconciles at start, on every content change, and every few minutes (to
 * retry failed enqueues). Runs are serialised in this process and, through
 * the store's lease, across processes.
 */
export function startPublisher(deps: PublishDeps): Publisher {
  const job = startLeasedJob({
    ...SCHEDULE,
    store: deps.store,
    triggers: deps.content,
    pass: () => reconcileOnce(deps),
    skipped: () => ({ created: 0, updated: 0, deleted: 0 }),
    logger,
    failureMessage: "Reconcile failed: {error}",
    skippedMessage: "Another process is reconciling; skipping",
  });
  return { reconcile: job.run, close: job.close };
}
