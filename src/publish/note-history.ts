/**
 * An article's publications and the activities sent for it, kept in Fedify's
 * key–value store (so both backends have them without a schema change, and
 * `migrate-to-postgres` copies them).
 *
 * Why: Mastodon keeps a tombstone for a deleted Note id and ignores a later
 * Create of it, so an article published again after a Delete needs a new
 * Note id (`urls.note(slug, createVersion)`), while the old one keeps
 * answering 410. And an activity id must keep dereferencing after the
 * article's later activities replace it in the ledger (which holds only the
 * latest per article).
 */
import type { KvKey, KvStore } from "@fedify/fedify";
import type { LedgerAction, LedgerEntry } from "../storage/store.ts";
import type { Urls } from "../urls.ts";

/** An earlier publication of an article, deleted. */
export interface RetiredNote {
  /** Its Note id. */
  id: string;
  /** When its Delete was made (ISO 8601). */
  deleted: string;
}

/** An article's publications. */
export interface NoteHistory {
  /** Ledger version of the Create that began the current publication (1: the first). */
  createVersion: number;
  /** Earlier publications, oldest first. */
  retired: RetiredNote[];
}

/** What one sent activity id stood for. */
export interface SentActivity {
  action: LedgerAction;
  slug: string;
  /** The id of the Note it carried (or deleted). */
  noteId: string;
  /** The Create's `published`, the Update's `updated`, or the deletion time (ISO 8601). */
  at: string;
}

const historyKey = (slug: string): KvKey => ["loa", "notes", slug];
const sentKey = (activityId: string): KvKey => ["loa", "activities", activityId];

/** An article never published again after a Delete has only its first publication. */
const FIRST: NoteHistory = { createVersion: 1, retired: [] };

export async function readNoteHistory(kv: KvStore, slug: string): Promise<NoteHistory> {
  return (await kv.get<NoteHistory>(historyKey(slug))) ?? FIRST;
}

/** The id of the article's current (or, when deleted, last) Note. */
export function currentNoteId(urls: Urls, slug: string, history: NoteHistory): string {
  return urls.note(slug, history.createVersion);
}

/**
 * Before a Create is written to the ledger: when it publishes the article
 * again (a version after 1, so a Delete came before), the current Note id
 * retires (deleted at `deletedAt`, the Delete's time) and the Create's own
 * version names the new one. Idempotent: a Create resent after a crash
 * finds its publication already begun. Returns the history to use.
 */
export async function beginPublication(
  kv: KvStore,
  urls: Urls,
  entry: LedgerEntry,
  deletedAt: Date,
): Promise<NoteHistory> {
  const history = await readNoteHistory(kv, entry.slug);
  if (entry.action !== "create" || entry.version <= 1) return history;
  if (history.createVersion >= entry.version) return history;
  const old = currentNoteId(urls, entry.slug, history);
  const retired = history.retired.some((r) => r.id === old)
    ? history.retired
    : [...history.retired, { id: old, deleted: deletedAt.toISOString() }];
  const next: NoteHistory = { createVersion: entry.version, retired };
  await kv.set(historyKey(entry.slug), next);
  return next;
}

/** Remembers what `entry`'s activity id stands for (see {@link SentActivity}). */
export async function recordSent(kv: KvStore, entry: LedgerEntry, noteId: string): Promise<void> {
  const at = entry.action === "create" ? entry.published : (entry.updated ?? entry.published);
  const sent: SentActivity = {
    action: entry.action,
    slug: entry.slug,
    noteId,
    at: at.toISOString(),
  };
  await kv.set(sentKey(entry.activityId), sent);
}

export async function readSent(kv: KvStore, activityId: string): Promise<SentActivity | null> {
  return (await kv.get<SentActivity>(sentKey(activityId))) ?? null;
}

/**
 * The Note id a request for `/articles/{slug}` asks for: its `v` parameter
 * names a later publication; without one, the first. Other parameters are
 * not part of any Note id.
 */
export function requestedNoteId(urls: Urls, slug: string, requested: URL): string {
  const v = requested.searchParams.get("v");
  if (v == null) return urls.note(slug);
  // Anything but a version number names no Note (and matches none).
  if (!/^[1-9]\d{0,8}$/.test(v)) return `${urls.article(slug)}?v=${encodeURIComponent(v)}`;
  return urls.note(slug, Number(v));
}
