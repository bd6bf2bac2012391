/**
 * What one incoming activity may make us fetch. Fedify dereferences whatever
 * a property holds as a URL (an object, an actor, its icon, each `tag`), and
 * an activity is free to hold thousands: without a bound, one Note with
 * 20,000 tag URLs costs 20,000 sequential fetches of a queue worker and turns
 * us into a reflector against third parties. So every handler loads through
 * the activity's budget: a handful of distinct documents, each bounded in
 * time and bytes by the outbound guard (`outbound-fetch.ts`); past the
 * budget a load fails, which the handlers treat as "could not be fetched".
 */
import type { Context } from "@fedify/fedify";
import type { DocumentLoader } from "@fedify/fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { RequestData } from "./request-data.ts";

const logger = getLogger(["loa", "federation", "inbox"]);

/**
 * Distinct remote documents per activity: its object, its actor, the actor's
 * icon, a quote's post, with room to spare. A handler needs at most four.
 */
export const FETCHES_PER_ACTIVITY = 6;

/**
 * Distinct JSON-LD contexts per activity. Most are preloaded in Fedify
 * (ActivityStreams, security) and cost no request, but are counted alike.
 */
export const CONTEXTS_PER_ACTIVITY = 10;

/** The loaders Fedify's `get*()` methods take, spending one activity's budget. */
export interface Loaders {
  documentLoader: DocumentLoader;
  contextLoader: DocumentLoader;
}

/** A load refused because the activity's budget is spent. */
export class FetchBudgetSpent extends Error {
  override name = "FetchBudgetSpent";
}

function budgeted(inner: DocumentLoader, max: number, what: string): DocumentLoader {
  const seen = new Set<string>();
  let warned = false;
  return async (url, options) => {
    if (!seen.has(url)) {
      if (seen.size >= max) {
        if (!warned) {
          warned = true;
          logger.warning("Not fetching {url}: this activity's {max} {what} are spent", {
            url,
            max,
            what,
          });
        }
        throw new FetchBudgetSpent(`fetch budget of ${max} ${what} spent before ${url}`);
      }
      seen.add(url);
    }
    return await inner(url, options);
  };
}

const budgets = new WeakMap<object, Loaders>();

/**
 * The loaders of the activity `ctx` was made for (Fedify makes one context
 * per incoming activity, so the budget is per activity however many
 * handlers it runs through).
 */
export function loadersOf(ctx: Context<RequestData>): Loaders {
  let loaders = budgets.get(ctx);
  if (loaders === undefined) {
    loaders = {
      documentLoader: budgeted(ctx.documentLoader, FETCHES_PER_ACTIVITY, "documents"),
      contextLoader: budgeted(ctx.contextLoader, CONTEXTS_PER_ACTIVITY, "contexts"),
    };
    budgets.set(ctx, loaders);
  }
  return loaders;
}

/** Entries of a list property looked at, embedded or not (`tag`, `attachment`). */
export const MAX_LIST_ITEMS = 100;

/**
 * Loaders for reading what was sent and nothing more: every document load is
 * answered with an empty object instead of a fetch (so Fedify's iterators
 * skip entries given only as URLs, without an error logged per entry), and
 * after `MAX_LIST_ITEMS` loads the list is cut off.
 */
export function sentOnly(loaders: Loaders): Loaders {
  let loads = 0;
  return {
    contextLoader: loaders.contextLoader,
    documentLoader: async (url) => {
      if (++loads > MAX_LIST_ITEMS) throw new FetchBudgetSpent(`list cut at ${MAX_LIST_ITEMS}`);
      return {
        contextUrl: null,
        documentUrl: url,
        document: { "@context": "https://www.w3.org/ns/activitystreams", type: "Object", id: url },
      };
    },
  };
}
