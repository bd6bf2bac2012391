import type { Federation } from "@fedify/fedify";
import type { Activity, Recipient } from "@fedify/fedify/vocab";
import type { Follower } from "../storage/store.ts";
import { actorIdentifier, type FederationDeps } from "./deps.ts";
import { findPublished, ledgerActivity } from "./objects.ts";

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

function registerFollowers(federation: Federation<void>, deps: FederationDeps): void {
  federation
    .setFollowersDispatcher("/users/{identifier}/followers", async (_ctx, identifier, cursor) => {
      if (identifier !== actorIdentifier(deps)) return null;
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

/**
 * Fedify asks the counter and the page dispatcher of one outbox request
 * separately; both read the same entries, so the ledger is read once per request.
 */
const outboxByRequest = new WeakMap<Request, ReturnType<typeof loadOutboxEntries>>();
function outboxEntries(deps: FederationDeps, request: Request) {
  let entries = outboxByRequest.get(request);
  if (entries === undefined) {
    entries = loadOutboxEntries(deps);
    outboxByRequest.set(request, entries);
  }
  return entries;
}

function registerOutbox(federation: Federation<void>, deps: FederationDeps): void {
  federation
    .setOutboxDispatcher("/users/{identifier}/outbox", async (ctx, identifier, cursor) => {
      if (identifier !== actorIdentifier(deps) || cursor == null) return null;
      const offset = Number.parseInt(cursor, 10);
      if (!Number.isSafeInteger(offset) || offset < 0) return null;
      const entries = await outboxEntries(deps, ctx.request);
      const items: Activity[] = [];
      for (const entry of entries.slice(offset, offset + PAGE_SIZE)) {
        const activity = ledgerActivity(ctx, deps, entry, findPublished(deps, entry.slug));
        if (activity) items.push(activity);
      }
      const next = offset + PAGE_SIZE < entries.length ? String(offset + PAGE_SIZE) : null;
      return { items, nextCursor: next };
    })
    .setCounter(async (ctx, identifier) =>
      identifier === actorIdentifier(deps) ? (await outboxEntries(deps, ctx.request)).length : null,
    )
    .setFirstCursor((_ctx, identifier) => (identifier === actorIdentifier(deps) ? "0" : null));
}

/** Following (nobody) and featured (nothing pinned): present because clients look for them. */
function registerEmpty(federation: Federation<void>, deps: FederationDeps): void {
  federation
    .setFollowingDispatcher("/users/{identifier}/following", (_ctx, identifier) =>
      identifier === actorIdentifier(deps) ? { items: [] } : null,
    )
    .setCounter(() => 0);
  federation.setFeaturedDispatcher("/users/{identifier}/featured", (_ctx, identifier) =>
    identifier === actorIdentifier(deps) ? { items: [] } : null,
  );
}

export function registerCollections(federation: Federation<void>, deps: FederationDeps): void {
  registerFollowers(federation, deps);
  registerOutbox(federation, deps);
  registerEmpty(federation, deps);
}
