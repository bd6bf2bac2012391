import type { Article, ContentSnapshot } from "../content/types.ts";
import type { LedgerEntry } from "../storage/store.ts";
import type { Urls } from "../urls.ts";

/** The input of one reconcile: what is published now and what was last federated. */
export interface PlanInput {
  urls: Urls;
  snapshot: ContentSnapshot;
  published: Article[];
  ledger: LedgerEntry[];
  now: Date;
}

export interface PlannedSend {
  /** The ledger entry to write (queuedAt null) and then deliver. */
  entry: LedgerEntry;
  article: Article | undefined;
}

export interface Plan {
  send: PlannedSend[];
  warnings: string[];
}

/**
 * The `updated` of an edit: the article's own `updated` when it is later than
 * what was last federated, else now, because Mastodon applies an Update only
 * when its object's `updated` moved forward.
 */
export function editTime(article: Article, entry: LedgerEntry, now: Date): Date {
  const last = (entry.updated ?? entry.published).getTime();
  if (article.updated && article.updated.getTime() > last) return article.updated;
  return new Date(Math.max(now.getTime(), last + 1000));
}

function fresh(
  input: PlanInput,
  article: Article,
  action: "create" | "update",
  version: number,
  updated: Date | null,
): LedgerEntry {
  return {
    slug: article.slug,
    file: article.file,
    hash: article.hash,
    action,
    activityId: input.urls.activity(article.slug, action, version),
    version,
    published: article.published,
    updated,
    queuedAt: null,
  };
}

/**
 * Publishing is a diff: each published article against its ledger entry gives
 * at most one activity (new → Create, changed → Update, gone → Delete), and an
 * entry still waiting to be enqueued is re-sent under its same id.
 */
export function planChanges(input: PlanInput): Plan {
  const ledger = new Map(input.ledger.map((e) => [e.slug, e]));
  const send: PlannedSend[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  // A broken edit is not a removal: the old version stays federated.
  const broken = new Set([
    ...input.snapshot.brokenFiles,
    ...input.snapshot.problems.map((p) => p.file),
  ]);
  for (const article of input.published) {
    seen.add(article.slug);
    const entry = ledger.get(article.slug);
    if (
      entry != null &&
      entry.action !== "delete" &&
      entry.file !== article.file &&
      broken.has(entry.file)
    ) {
      // Another file with the same slug (until now refused as a duplicate) must not
      // take the article over just because its own file broke: keep it as it was.
      warnings.push(
        `${entry.file} is broken and ${article.file} claims its slug ${article.slug}; keeping it as it was`,
      );
      continue;
    }
    if (entry == null || entry.action === "delete") {
      const version = (entry?.version ?? 0) + 1;
      send.push({ entry: fresh(input, article, "create", version, null), article });
    } else if (entry.hash !== article.hash) {
      if (entry.queuedAt == null) {
        // The earlier activity never reached the queue: send it now, same id, current text.
        send.push({
          entry: { ...entry, file: article.file, hash: article.hash, published: article.published },
          article,
        });
      } else {
        const version = entry.version + 1;
        const updated = editTime(article, entry, input.now);
        send.push({ entry: fresh(input, article, "update", version, updated), article });
      }
    } else if (entry.queuedAt == null) {
      send.push({ entry, article });
    }
  }

  const gone = input.ledger.filter((e) => !seen.has(e.slug));
  const live = gone.filter((e) => e.action !== "delete");
  // An empty content dir with many federated articles is far likelier a
  // missing mount than a wish to retract everything (drafts show it is mounted).
  const suspicious =
    input.snapshot.articles.length === 0 && input.snapshot.drafts.length === 0 && live.length > 1;
  if (suspicious) {
    warnings.push(
      `content has no articles but ${live.length} are federated; not sending Deletes (check CONTENT_DIR)`,
    );
  }
  for (const entry of gone) {
    if (entry.action === "delete") {
      if (entry.queuedAt == null) send.push({ entry, article: undefined });
      continue;
    }
    if (suspicious) continue;
    if (broken.has(entry.file)) {
      warnings.push(`${entry.file} is broken; keeping ${entry.slug} federated as it was`);
      continue;
    }
    const version = entry.version + 1;
    send.push({
      entry: {
        ...entry,
        hash: "",
        action: "delete",
        activityId: input.urls.activity(entry.slug, "delete", version),
        version,
        updated: input.now,
        queuedAt: null,
      },
      article: undefined,
    });
  }
  return { send, warnings };
}
