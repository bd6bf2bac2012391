import type { Federation } from "@fedify/fedify";
import type { Activity, Recipient } from "@fedify/fedify/vocab";
import { ledgerActivity, noteUpdated } from "../publish/activities.ts";
import { featuredTagNames, pinnedArticles } from "../publish/featured.ts";
import { toHashtags, toNote } from "../publish/note.ts";
import type { Follower, Store } from "../storage/store.ts";
import { PATHS } from "../urls.ts";
import { actorIdentifier, type FederationDeps } from "./deps.ts";
import { actorNoteContext, findPublished, noteIdOf } from "./objects.ts";
import type { RequestData } from "./request-data.ts";

const PAGE_SIZE = 20;
/** Fedify needs a non-null first cursor for a paged collection; the store's first page is `null`. */
const FIRST = "first";

function toRecipient(follower: Follower): Recipient {
  return {
    id: new URL(follower.actorId),
    inboxId: new URL(follower.inbox),
    endpoints: follower.sharedInbox ? { sharedInbox: new URL(follower.sharedInbox) } : null,
  };
}

/**
 * The followers whose actor id starts with `base` (an origin and `/`): the
 * FEP-8fcf partial collection a server asks for (`?base-url=`) to check the
 * digest of its own users against. One server's followers of a town are few,
 * so they are listed on one page.
 */
async function followersOn(store: Store, base: URL): Promise<Recipient[]> {
  const prefix = base.href;
  const matching: Recipient[] = [];
  let next: string | null = null;
  do {
    const page = await store.listFollowers({ cursor: next, limit: 500 });
    for (const follower of page.items) {
      if (follower.actorId.startsWith(prefix)) matching.push(toRecipient(follower));
    }
    next = page.next;
  } while (next != null);
  return matching;
}

function registerFollowers(federation: Federation<RequestData>, deps: FederationDeps): void {
  federation
    .setFollowersDispatcher(PATHS.followers, async (_ctx, identifier, cursor, filter) => {
      if (identifier !== actorIdentifier(deps)) return null;
      if (filter != null && cursor != null) {
        return { items: cursor === FIRST ? await followersOn(deps.store, filter) : [] };
      }
      if (cursor == null) {
        // One-shot listing: what sendActivity(…, "followers") expands to.
        const all: Recipient[] = [];
        let next: string | null = null;
        do {
          const page = await deps.store.listFollowers({ cursor: next, limit: 500 });
          all.push(...page.items.map(toRecipient));
          next = page.next;
        } while (next != null);
        return { items: all };
      }
      const page = await deps.store.listFollowers({
        cursor: cursor === FIRST ? null : cursor,
        limit: PAGE_SIZE,
      });
      return { items: page.items.map(toRecipient), nextCursor: page.next };
    })
    .setCounter(async (_ctx, identifier) =>
      identifier === actorIdentifier(deps) ? await deps.store.countFollowers() : null,
    )
    .setFirstCursor((_ctx, identifier) => (identifier === actorIdentifier(deps) ? FIRST : null));
}

/** The outbox: the latest activity of each published article, newest article first. */
async function loadOutboxEntries(deps: FederationDeps) {
  const ledger = await deps.store.listLedger();
  return ledger
    .filter((entry) => entry.action !== "delete")
    .sort((a, b) => b.published.getTime() - a.published.getTime());
}

/** The entries, read once per request (see {@link RequestData}). */
function outboxEntries(deps: FederationDeps, data: RequestData) {
  data.outboxEntries ??= loadOutboxEntries(deps);
  return data.outboxEntries;
}

function registerOutbox(federation: Federation<RequestData>, deps: FederationDeps): void {
  federation
    .setOutboxDispatcher(PATHS.outbox, async (ctx, identifier, cursor) => {
      if (identifier !== actorIdentifier(deps) || cursor == null) return null;
      const offset = Number.parseInt(cursor, 10);
      if (!Number.isSafeInteger(offset) || offset < 0) return null;
      const entries = await outboxEntries(deps, ctx.data);
      const nc = actorNoteContext(deps);
      const items: Activity[] = [];
      for (const entry of entries.slice(offset, offset + PAGE_SIZE)) {
        const noteId = await noteIdOf(deps, entry.slug);
        const activity = ledgerActivity(nc, entry, findPublished(deps, entry.slug), noteId);
        if (activity) items.push(activity);
      }
      const next = offset + PAGE_SIZE < entries.length ? String(offset + PAGE_SIZE) : null;
      return { items, nextCursor: next };
    })
    .setCounter(async (ctx, identifier) =>
      identifier === actorIdentifier(deps) ? (await outboxEntries(deps, ctx.data)).length : null,
    )
    .setFirstCursor((_ctx, identifier) => (identifier === actorIdentifier(deps) ? "0" : null));
}

/** Following: nobody, but present because clients look for it. */
function registerFollowing(federation: Federation<RequestData>, deps: FederationDeps): void {
  federation
    .setFollowingDispatcher(PATHS.following, (_ctx, identifier) =>
      identifier === actorIdentifier(deps) ? { items: [] } : null,
    )
    .setCounter(() => 0);
}

/**
 * `featured`: the pinned articles' Notes, newest first (Mastodon shows them
 * pinned, and they fill a new follower's empty view of the profile);
 * `featuredTags`: the profile's hashtags.
 */
function registerFeatured(federation: Federation<RequestData>, deps: FederationDeps): void {
  const pinned = () => pinnedArticles(deps.content.published(deps.clock()));
  federation
    .setFeaturedDispatcher(PATHS.featured, async (_ctx, identifier) => {
      if (identifier !== actorIdentifier(deps)) return null;
      const nc = actorNoteContext(deps);
      const items = [];
      for (const article of pinned()) {
        const entry = await deps.store.getLedgerEntry(article.slug);
        items.push(toNote(article, nc, noteUpdated(entry), await noteIdOf(deps, article.slug)));
      }
      return { items };
    })
    .setCounter((_ctx, identifier) =>
      identifier === actorIdentifier(deps) ? pinned().length : null,
    );
  const tags = () =>
    toHashtags(
      featuredTagNames(deps.content.current().site, deps.content.published(deps.clock())),
      deps.urls,
    );
  federation
    .setFeaturedTagsDispatcher(PATHS.featuredTags, (_ctx, identifier) =>
      identifier === actorIdentifier(deps) ? { items: tags() } : null,
    )
    .setCounter((_ctx, identifier) =>
      identifier === actorIdentifier(deps) ? tags().length : null,
    );
}

export function registerCollections(
  federation: Federation<RequestData>,
  deps: FederationDeps,
): void {
  registerFollowers(federation, deps);
  registerOutbox(federation, deps);
  registerFollowing(federation, deps);
  registerFeatured(federation, deps);
}
