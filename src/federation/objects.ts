import type { Context, Federation } from "@fedify/fedify";
import { type Activity, Create, Delete, Note, Update } from "@fedify/fedify/vocab";
import type { Article } from "../content/types.ts";
import type { LedgerEntry } from "../storage/store.ts";
import { actorIdentifier, type FederationDeps } from "./deps.ts";
import { type NoteContext, toCreate, toDelete, toNote, toUpdate } from "./note.ts";

export function noteContext(ctx: Context<void>, deps: FederationDeps): NoteContext {
  const identifier = actorIdentifier(deps);
  return {
    urls: deps.urls,
    actorId: ctx.getActorUri(identifier),
    followersId: ctx.getFollowersUri(identifier),
  };
}

/** The Note's `updated`: only what an Update carried, so re-fetches agree with deliveries. */
export function noteUpdated(entry: LedgerEntry | null): Date | null {
  return entry?.action === "update" ? entry.updated : null;
}

/** The activity a ledger entry stands for, rebuilt from the current article. */
export function ledgerActivity(
  ctx: Context<void>,
  deps: FederationDeps,
  entry: LedgerEntry,
  article: Article | undefined,
): Activity | null {
  const nc = noteContext(ctx, deps);
  const id = new URL(entry.activityId);
  if (entry.action === "delete") {
    const noteId = new URL(deps.urls.article(entry.slug));
    return toDelete(noteId, id, nc.actorId, nc.followersId, entry.updated ?? entry.published);
  }
  if (article == null) return null;
  const note = toNote(article, nc, noteUpdated(entry));
  return entry.action === "create"
    ? toCreate(note, id, nc.actorId, nc.followersId)
    : toUpdate(note, id, nc.actorId, nc.followersId);
}

function now(deps: FederationDeps): Date {
  return deps.clock?.() ?? new Date();
}

export function findPublished(deps: FederationDeps, slug: string): Article | undefined {
  return deps.content.published(now(deps)).find((a) => a.slug === slug);
}

/**
 * Notes at the article URLs (content negotiation: the middleware hands AS2
 * requests here, HTML requests fall through to the pages), and the activities
 * at their ids, so an activity id dereferences to what was sent.
 */
export function registerObjects(federation: Federation<void>, deps: FederationDeps): void {
  federation.setObjectDispatcher(Note, "/articles/{slug}", async (ctx, { slug }) => {
    const article = findPublished(deps, slug);
    if (article == null) return null;
    const entry = await deps.store.getLedgerEntry(slug);
    return toNote(article, noteContext(ctx, deps), noteUpdated(entry));
  });
  const dispatch = async (
    ctx: Context<void>,
    action: LedgerEntry["action"],
    values: Record<"slug" | "version", string>,
  ): Promise<Activity | null> => {
    const entry = await deps.store.getLedgerEntry(values.slug);
    // Only the latest activity per article can be rebuilt faithfully.
    if (entry == null || entry.action !== action || String(entry.version) !== values.version) {
      return null;
    }
    return ledgerActivity(ctx, deps, entry, findPublished(deps, values.slug));
  };
  federation.setObjectDispatcher(Create, "/activities/{slug}/create/{version}", async (ctx, v) => {
    const activity = await dispatch(ctx, "create", v);
    return activity instanceof Create ? activity : null;
  });
  federation.setObjectDispatcher(Update, "/activities/{slug}/update/{version}", async (ctx, v) => {
    const activity = await dispatch(ctx, "update", v);
    return activity instanceof Update ? activity : null;
  });
  federation.setObjectDispatcher(Delete, "/activities/{slug}/delete/{version}", async (ctx, v) => {
    const activity = await dispatch(ctx, "delete", v);
    return activity instanceof Delete ? activity : null;
  });
}
