/**
 * `Last-Modified` that tells the truth. A document's newest article date is
 * not enough: a body edit without `updated`, a removed article and a
 * `site.yml` change alter what a document shows without moving it, and
 * removing the newest article moves it back, so a client revalidating with
 * `If-Modified-Since` alone would be told "not modified" about a changed (or
 * deleted) text.
 *
 * So each resource remembers the last body it served (its ETag) and that
 * body's `Last-Modified`. For a body with ETag `e` at key `k`:
 *
 * - the same body as before: the same `Last-Modified` (an ETag and a date
 *   always go together, also after a restart);
 * - a different body: the latest of the newest date the document carries,
 *   the time the content version being rendered began (`ContentSource.changedAt`:
 *   when the edit, removal or `site.yml` change was loaded), and one second
 *   after the previous `Last-Modified` (HTTP dates have whole seconds, so a
 *   change within the same second must still move it). It never goes back;
 * - a resource never served before: the newest date it carries (what Loa
 *   always sent, so nothing moves when this history starts), or the content
 *   version's time for a document that carries none (robots.txt, an empty
 *   feed).
 *
 * A change is dated when this process first renders the changed body, which
 * is no earlier than the change was loaded (so never a false 304) and at the
 * latest the version in which someone first asked for it.
 *
 * The records survive restarts in Fedify's key–value store (`kv`, the same
 * SQLite or PostgreSQL database as the rest of the state): loaded once at
 * start, written behind each change. Without them a restart after the
 * newest article was removed would date the feed back to the article before
 * it. Several web processes sharing a database each date a change by their
 * own reload (seconds apart at most): a client may then see one body with
 * two nearby dates, which costs it a full response, never a stale one.
 */
import type { KvKey, KvStore } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { ContentSource } from "../content/types.ts";
import { type Rendered, rendered } from "./conditional.ts";

const logger = getLogger(["loa", "http", "validators"]);

/** What is remembered for one resource: its last body and that body's `Last-Modified`. */
export interface ValidatorRecord {
  /** The identity body's ETag, quotes included. */
  etag: string;
  /** Milliseconds since the epoch, whole seconds. */
  lastModified: number;
}

/** Dates bodies for `Last-Modified`; see the module comment for the rule. */
export interface ValidatorHistory {
  /**
   * The `Last-Modified` of the body with `etag` served as `key` (one key per
   * URL, e.g. `feed:rss`). `shows` is the newest date the document carries
   * (its articles' `updated ?? published`; the epoch when none), `changedAt`
   * when the content version being rendered began. Whole seconds.
   */
  lastModified(key: string, etag: string, shows: Date, changedAt: Date): Date;
  /** Resolves once every record changed so far is written (shutdown, tests). */
  flush(): Promise<void>;
}

/** Options of {@link createValidatorHistory}. */
export interface ValidatorHistoryOptions {
  /** Records remembered from before (e.g. loaded from the store at start). */
  records?: Iterable<readonly [string, ValidatorRecord]>;
  /** Writes a changed record; called one at a time, in order. Without it, memory only. */
  persist?: (key: string, record: ValidatorRecord) => Promise<void>;
}

const SECOND = 1000;
const floorSeconds = (ms: number) => Math.floor(ms / SECOND) * SECOND;

/** A history in memory, writing each change through `persist` when given. */
export function createValidatorHistory(options: ValidatorHistoryOptions = {}): ValidatorHistory {
  const records = new Map<string, ValidatorRecord>(options.records ?? []);
  const persist = options.persist;
  let writes: Promise<void> = Promise.resolve();

  const remember = (key: string, record: ValidatorRecord) => {
    records.set(key, record);
    if (!persist) return;
    // One write at a time: two changes to one key must not land out of order.
    writes = writes
      .then(() => persist(key, record))
      .catch((error: unknown) => {
        // Dating still works from memory; only a restart could lose this record.
        logger.warning("Could not store the Last-Modified of {key}: {error}", { key, error });
      });
  };

  return {
    lastModified(key, etag, shows, changedAt) {
      // The epoch (an empty feed's date) or an invalid date: the document carries none.
      const dated = !Number.isNaN(shows.getTime()) && shows.getTime() !== 0;
      const carried = dated ? floorSeconds(shows.getTime()) : Number.NEGATIVE_INFINITY;
      const previous = records.get(key);
      let lastModified: number;
      if (previous === undefined) {
        lastModified = dated ? carried : floorSeconds(changedAt.getTime());
      } else if (previous.etag === etag) {
        if (carried <= previous.lastModified) return new Date(previous.lastModified);
        lastModified = carried;
      } else {
        lastModified = Math.max(
          carried,
          floorSeconds(changedAt.getTime()),
          previous.lastModified + SECOND,
        );
      }
      remember(key, { etag, lastModified });
      return new Date(lastModified);
    },
    flush: () => writes,
  };
}

/** Where the records live in the key–value store: one entry per resource key. */
const PREFIX: KvKey = ["loa", "validators"];

function isRecord(value: unknown): value is ValidatorRecord {
  const v = value as Partial<ValidatorRecord> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.etag === "string" &&
    typeof v.lastModified === "number" &&
    Number.isFinite(v.lastModified)
  );
}

/**
 * The history kept in `kv`: every record read once now (one small row per
 * URL ever served: 10,000 articles read in well under a second), each change
 * written behind it.
 */
export async function loadValidatorHistory(kv: KvStore): Promise<ValidatorHistory> {
  const records: [string, ValidatorRecord][] = [];
  for await (const entry of kv.list(PREFIX)) {
    const key = entry.key[PREFIX.length];
    if (entry.key.length !== PREFIX.length + 1 || typeof key !== "string") continue;
    if (isRecord(entry.value)) records.push([key, entry.value]);
    else logger.warning("Ignored a malformed Last-Modified record for {key}", { key });
  }
  return createValidatorHistory({
    records,
    persist: (key, record) => kv.set([...PREFIX, key], record),
  });
}

/**
 * Renders one resource's body with its `Last-Modified` from the history:
 * `key` names the URL (one key per URL and format), `shows` is the newest
 * date the document carries.
 */
export type DatedRender = (
  key: string,
  text: string,
  contentType: string,
  shows: Date,
  headers?: Record<string, string>,
) => Rendered;

/** The {@link DatedRender} of `history`, dating changes by `content`'s version. */
export function datedRender(history: ValidatorHistory, content: ContentSource): DatedRender {
  return (key, text, contentType, shows, headers) =>
    rendered(
      text,
      contentType,
      (etag) => history.lastModified(key, etag, shows, content.changedAt),
      headers,
    );
}
