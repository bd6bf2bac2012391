import { type Activity, Create, type Note, PUBLIC_COLLECTION, Update } from "@fedify/fedify/vocab";
import type { Article } from "../content/types.ts";
import type { LedgerEntry } from "../storage/store.ts";
import type { Urls } from "../urls.ts";
import { type NoteContext, toCreate, toDelete, toNote, toTombstone, toUpdate } from "./note.ts";
import type { SentActivity } from "./note-history.ts";
import { toInstant } from "./temporal.ts";

/** Where the actor's things live, for the Notes and activities it publishes. */
export function noteContext(urls: Urls, username: string): NoteContext {
  return {
    urls,
    actorId: new URL(urls.actor(username)),
    followersId: new URL(urls.followers(username)),
  };
}

/** The Note's `updated`: only what an Update carried, so re-fetches agree with deliveries. */
export function noteUpdated(entry: LedgerEntry | null): Date | null {
  return entry?.action === "update" ? entry.updated : null;
}

/**
 * The activity a ledger entry stands for, rebuilt from the current article:
 * what the publisher sends, what the outbox lists and what an activity id
 * dereferences to are the same object. `noteId` is the id of the article's
 * current publication (`currentNoteId`); the article's URL by default.
 */
export function ledgerActivity(
  nc: NoteContext,
  entry: LedgerEntry,
  article: Article | undefined,
  noteId: URL = new URL(nc.urls.article(entry.slug)),
): Activity | null {
  const id = new URL(entry.activityId);
  if (entry.action === "delete") {
    return toDelete(noteId, id, nc.actorId, nc.followersId, entry.updated ?? entry.published);
  }
  if (article == null) return null;
  const note = toNote(article, nc, noteUpdated(entry), noteId);
  return entry.action === "create"
    ? toCreate(note, id, nc.actorId, nc.followersId)
    : toUpdate(note, id, nc.actorId, nc.followersId);
}

/**
 * An activity sent before the article's latest one, at its id. Its object is
 * the Note as it is now (as Mastodon serves an old activity), or, when that
 * publication was deleted since, its Tombstone (`deletedAt`): withdrawn text
 * is not served again under an old id.
 */
export function sentActivity(
  nc: NoteContext,
  activityId: URL,
  sent: SentActivity,
  object: Note | { deletedAt: Date },
): Activity {
  const noteId = new URL(sent.noteId);
  const at = new Date(sent.at);
  if (sent.action === "delete") {
    return toDelete(noteId, activityId, nc.actorId, nc.followersId, at);
  }
  const values = {
    id: activityId,
    actor: nc.actorId,
    to: PUBLIC_COLLECTION,
    cc: nc.followersId,
    published: toInstant(at),
    object: "deletedAt" in object ? toTombstone(noteId, object.deletedAt) : object,
  };
  return sent.action === "create"
    ? new Create(values)
    : new Update({ ...values, updated: toInstant(at) });
}
