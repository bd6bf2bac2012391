import { toTombstone } from "../publish/note.ts";
import type { Store } from "../storage/store.ts";
import type { FederationDeps } from "./deps.ts";
import { findPublished } from "./objects.ts";

/** Whether the ledger says this article was removed (its page should answer 410 Gone). */
export async function isGone(store: Store, slug: string): Promise<boolean> {
  return (await store.getLedgerEntry(slug))?.action === "delete";
}

/**
 * The Tombstone (JSON-LD) a removed article's Note id answers with, or null
 * when the article is published or was never federated.
 */
export async function goneTombstone(deps: FederationDeps, slug: string): Promise<unknown | null> {
  if (findPublished(deps, slug) != null) return null;
  const entry = await deps.store.getLedgerEntry(slug);
  if (entry?.action !== "delete") return null;
  const tombstone = toTombstone(new URL(deps.urls.article(slug)), entry.updated ?? deps.clock());
  return await tombstone.toJsonLd();
}
