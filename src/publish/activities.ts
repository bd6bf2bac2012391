import type { Activity } from "@fedify/fedify/vocab";
import type { Article } from "../content/types.ts";
import type { LedgerEntry } from "../storage/store.ts";
import type { Urls } from "../urls.ts";
import { type NoteContext, toCreate, toDelete, toNote, toUpdate } from "./note.ts";

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
 * dereferences to are the same object.
 */
export function ledgerActivity(
  nc: NoteContext,
  entry: LedgerEntry,
  article: Article | undefined,
): Activity | null {
  const id = new URL(entry.activityId);
  if (entry.action === "delete") {
    const noteId = new URL(nc.urls.article(entry.slug));
    return toDelete(noteId, id, nc.actorId, nc.followersId, entry.updated ?? entry.published);
  }
  if (article == null) return null;
  const note = toNote(article, nc, noteUpdated(entry));
  return entry.action === "create"
    ? toCreate(note, id, nc.actorId, nc.followersId)
    : toUpdate(note, id, nc.actorId, nc.followersId);
}
