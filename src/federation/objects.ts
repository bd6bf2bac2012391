import type { Context, Federation } from "@fedify/fedify";
import { type Activity, Create, Delete, Note, Update } from "@fedify/fedify/vocab";
import type { Article } from "../content/types.ts";
import { ledgerActivity, noteContext, noteUpdated, sentActivity } from "../publish/activities.ts";
import { toNote } from "../publish/note.ts";
import {
  currentNoteId,
  type NoteHistory,
  readNoteHistory,
  readSent,
  requestedNoteId,
  type SentActivity,
} from "../publish/note-history.ts";
import { profileUpdate, profileVersion } from "../publish/profile.ts";
import type { LedgerAction, LedgerEntry } from "../storage/store.ts";
import { PATHS } from "../urls.ts";
import { actorIdentifier, type FederationDeps } from "./deps.ts";
import type { RequestData } from "./request-data.ts";

/** A `{version}` in an activity id: a positive integer, as the ledger numbers them. */
const VERSION = /^[1-9]\d{0,8}$/;

/** The `{slug}` of the profile's Updates (`PATHS.profileUpdate`), which no article can have. */
const PROFILE_SLUG = "_profile";

export function findPublished(deps: FederationDeps, slug: string): Article | undefined {
  return deps.content.published(deps.clock()).find((a) => a.slug === slug);
}

/** The actor's note context (its id and followers), for the mappers in `publish/`. */
export function actorNoteContext(deps: FederationDeps) {
  return noteContext(deps.urls, actorIdentifier(deps));
}

/** The id of the article's current (or, when removed, last) Note. */
export async function noteIdOf(deps: FederationDeps, slug: string): Promise<URL> {
  return new URL(currentNoteId(deps.urls, slug, await readNoteHistory(deps.kv, slug)));
}

/** The slug of the published article whose current Note has the id `id`, else null. */
export async function liveNoteSlug(
  deps: FederationDeps,
  ctx: Context<RequestData>,
  id: URL,
): Promise<string | null> {
  const parsed = ctx.parseUri(id);
  if (parsed?.type !== "object" || parsed.class !== Note) return null;
  const slug = parsed.values.slug;
  if (slug == null || findPublished(deps, slug) == null) return null;
  const current = (await noteIdOf(deps, slug)).href;
  return requestedNoteId(deps.urls, slug, id) === current ? slug : null;
}

/** The Note of a published article, when `requested` is its current id. */
async function dispatchNote(deps: FederationDeps, slug: string, requested: URL) {
  const article = findPublished(deps, slug);
  if (article == null) return null;
  const id = (await noteIdOf(deps, slug)).href;
  // An earlier publication's id answers 410 (the middleware's Tombstone), an
  // unknown one 404; the article's own URL always reaches its current Note.
  const asked = requestedNoteId(deps.urls, slug, requested);
  if (asked !== id && asked !== deps.urls.note(slug)) return null;
  const [entry, counts] = await Promise.all([
    deps.store.getLedgerEntry(slug),
    deps.store.countInteractions(slug),
  ]);
  return toNote(article, actorNoteContext(deps), noteUpdated(entry), new URL(id), {
    likes: counts.likes,
    shares: counts.announces,
  });
}

/** What an earlier activity's object is now; null when there is nothing to rebuild it from. */
function objectNow(
  deps: FederationDeps,
  sent: SentActivity,
  current: { noteId: string; history: NoteHistory; entry: LedgerEntry | null },
): Note | { deletedAt: Date } | null {
  if (sent.action === "delete") return { deletedAt: new Date(sent.at) };
  const retired = current.history.retired.find((r) => r.id === sent.noteId);
  if (retired) return { deletedAt: new Date(retired.deleted) };
  if (sent.noteId !== current.noteId) return null;
  const { entry } = current;
  if (entry?.action === "delete") return { deletedAt: entry.updated ?? entry.published };
  // A broken file keeps the article federated as it was, but there is nothing to rebuild it from.
  const article = findPublished(deps, sent.slug);
  if (article == null) return null;
  return toNote(article, actorNoteContext(deps), noteUpdated(entry), new URL(current.noteId));
}

/**
 * An article's activity at its id: the latest from the ledger, rebuilt as it
 * was sent; an earlier one from its record (`note-history.ts`), with the Note
 * as it is now or the Tombstone of a publication deleted since.
 */
async function dispatchActivity(
  deps: FederationDeps,
  action: LedgerAction,
  values: Record<"slug" | "version", string>,
): Promise<Activity | null> {
  const { slug } = values;
  if (!VERSION.test(values.version)) return null;
  const version = Number(values.version);
  const nc = actorNoteContext(deps);
  const [entry, history] = await Promise.all([
    deps.store.getLedgerEntry(slug),
    readNoteHistory(deps.kv, slug),
  ]);
  const noteId = currentNoteId(deps.urls, slug, history);
  if (entry != null && entry.action === action && entry.version === version) {
    return ledgerActivity(nc, entry, findPublished(deps, slug), new URL(noteId));
  }
  const id = new URL(deps.urls.activity(slug, action, version));
  const sent = await readSent(deps.kv, id.href);
  if (sent == null || sent.action !== action || sent.slug !== slug) return null;
  const object = objectNow(deps, sent, { noteId, history, entry });
  return object == null ? null : sentActivity(nc, id, sent, object);
}

/** The profile's `version`th Update, for versions announced so far. */
async function dispatchProfileUpdate(
  deps: FederationDeps,
  version: string,
): Promise<Update | null> {
  if (!VERSION.test(version)) return null;
  if (Number(version) > (await profileVersion(deps.kv))) return null;
  return profileUpdate(deps.urls, actorIdentifier(deps), Number(version));
}

/**
 * Notes at the article URLs (content negotiation: the middleware hands AS2
 * requests here, HTML requests fall through to the pages), and every activity
 * sent at its id.
 */
export function registerObjects(federation: Federation<RequestData>, deps: FederationDeps): void {
  federation.setObjectDispatcher(Note, PATHS.article, (ctx, { slug }) =>
    dispatchNote(deps, slug, ctx.url),
  );
  federation.setObjectDispatcher(Create, PATHS.createActivity, async (_ctx, v) => {
    const activity = await dispatchActivity(deps, "create", v);
    return activity instanceof Create ? activity : null;
  });
  federation.setObjectDispatcher(Update, PATHS.updateActivity, async (_ctx, v) => {
    // `PATHS.profileUpdate` is this template with the slug no article has.
    if (v.slug === PROFILE_SLUG) return await dispatchProfileUpdate(deps, v.version);
    const activity = await dispatchActivity(deps, "update", v);
    return activity instanceof Update ? activity : null;
  });
  federation.setObjectDispatcher(Delete, PATHS.deleteActivity, async (_ctx, v) => {
    const activity = await dispatchActivity(deps, "delete", v);
    return activity instanceof Delete ? activity : null;
  });
}
