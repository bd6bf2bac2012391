import type { Context, Federation } from "@fedify/fedify";
import { type Activity, Create, Delete, Note, Update } from "@fedify/fedify/vocab";
import type { Article } from "../content/types.ts";
import { ledgerActivity, noteContext, noteUpdated } from "../publish/activities.ts";
import { toNote } from "../publish/note.ts";
import type { LedgerEntry } from "../storage/store.ts";
import { PATHS } from "../urls.ts";
import { actorIdentifier, type FederationDeps } from "./deps.ts";
import type { RequestData } from "./request-data.ts";

export function findPublished(deps: FederationDeps, slug: string): Article | undefined {
  return deps.content.published(deps.clock()).find((a) => a.slug === slug);
}

/** The actor's note context (its id and followers), for the mappers in `publish/`. */
export function actorNoteContext(deps: FederationDeps) {
  return noteContext(deps.urls, actorIdentifier(deps));
}

/**
 * Notes at the article URLs (content negotiation: the middleware hands AS2
 * requests here, HTML requests fall through to the pages), and the activities
 * at their ids, so an activity id dereferences to what was sent.
 */
export function registerObjects(federation: Federation<RequestData>, deps: FederationDeps): void {
  federation.setObjectDispatcher(Note, PATHS.article, async (_ctx, { slug }) => {
    const article = findPublished(deps, slug);
    if (article == null) return null;
    const [entry, counts] = await Promise.all([
      deps.store.getLedgerEntry(slug),
      deps.store.countInteractions(slug),
    ]);
    return toNote(article, actorNoteContext(deps), noteUpdated(entry), {
      likes: counts.likes,
      shares: counts.announces,
    });
  });
  const dispatch = async (
    _ctx: Context<RequestData>,
    action: LedgerEntry["action"],
    values: Record<"slug" | "version", string>,
  ): Promise<Activity | null> => {
    const entry = await deps.store.getLedgerEntry(values.slug);
    // Only the latest activity per article can be rebuilt faithfully.
    if (entry == null || entry.action !== action || String(entry.version) !== values.version) {
      return null;
    }
    return ledgerActivity(actorNoteContext(deps), entry, findPublished(deps, values.slug));
  };
  federation.setObjectDispatcher(Create, PATHS.createActivity, async (ctx, v) => {
    const activity = await dispatch(ctx, "create", v);
    return activity instanceof Create ? activity : null;
  });
  federation.setObjectDispatcher(Update, PATHS.updateActivity, async (ctx, v) => {
    const activity = await dispatch(ctx, "update", v);
    return activity instanceof Update ? activity : null;
  });
  federation.setObjectDispatcher(Delete, PATHS.deleteActivity, async (ctx, v) => {
    const activity = await dispatch(ctx, "delete", v);
    return activity instanceof Delete ? activity : null;
  });
}
