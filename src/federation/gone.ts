import { toTombstone } from "../publish/note.ts";
import { readNoteHistory, requestedNoteId } from "../publish/note-history.ts";
import type { Store } from "../storage/store.ts";
import type { FederationDeps } from "./deps.ts";
import { findPublished } from "./objects.ts";

/** Whether the ledger says this article was removed (its page should answer 410 Gone). */
export async function isGone(store: Store, slug: string): Promise<boolean> {
  return (await store.getLedgerEntry(slug))?.action === "delete";
}

/**
 * The Tombstone (JSON-LD) the Note id `requested` (an `/articles/{slug}`
 * URL, `?v=` included) answers with: an earlier publication of the article
 * (deleted, then published again under a new id) or the current one while
 * removed. Null when that Note is live or was never federated.
 */
export async function goneTombstone(
  deps: FederationDeps,
  slug: string,
  requested: URL,
): Promise<unknown | null> {
  const history = await readNoteHistory(deps.kv, slug);
  const id = requestedNoteId(deps.urls, slug, requested);
  // The article's own URL serves its current Note while it is published (the
  // contract: that URL with an ActivityStreams Accept is its Note), even when
  // its first publication under that id was deleted.
  if (id === deps.urls.note(slug) && findPublished(deps, slug) != null) return null;
  const retired = history.retired.find((r) => r.id === id);
  if (retired) return await toTombstone(new URL(id), new Date(retired.deleted)).toJsonLd();
  if (id !== deps.urls.note(slug, history.createVersion)) return null;
  if (findPublished(deps, slug) != null) return null;
  const entry = await deps.store.getLedgerEntry(slug);
  if (entry?.action !== "delete") return null;
  return await toTombstone(new URL(id), entry.updated ?? deps.clock()).toJsonLd();
}
