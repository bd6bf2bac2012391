/**
 * Quote posts (FEP-044f, as Mastodon 4.5 implements them). Our Notes let
 * anyone quote them (`interactionPolicy.canQuote`); Mastodon still keeps a
 * quote "pending" until the quoted post's server answers its `QuoteRequest`
 * with an `Accept` whose `result` is a `QuoteAuthorization` it can fetch and
 * check (author, quoted Note, quoting post). Both are made here.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Federation, InboxContext, KvKey } from "@fedify/fedify";
import { Accept, isActor, QuoteAuthorization, QuoteRequest } from "@fedify/fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { PATHS } from "../urls.ts";
import { actorIdentifier, type FederationDeps } from "./deps.ts";
import { loadersOf } from "./fetch-budget.ts";
import { blocked } from "./inbox-checks.ts";
import { liveNoteSlug } from "./objects.ts";
import type { RequestData } from "./request-data.ts";

const logger = getLogger(["loa", "federation", "quotes"]);

/** A quote we authorized (kept in Fedify's key–value store). */
interface QuoteGrant {
  /** The quoting post. */
  interactingObject: string;
  /** Our Note it quotes. */
  interactionTarget: string;
  /** Who asked. */
  actor: string;
}

const grantKey = (id: string): KvKey => ["loa", "quote-authorizations", id];
/** The authorizations given to one quoting post (so they end with it). */
const byQuoteKey = (quote: URL): KvKey => [
  "loa",
  "quote-authorizations-by-quote",
  hash(quote.href),
];

function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

/** One authorization per (quoting post, quoted Note): a repeated request gets the same one. */
function grantId(quote: URL, target: URL): string {
  return createHash("sha256").update(`${quote.href}\n${target.href}`).digest("hex").slice(0, 32);
}

/**
 * A `QuoteRequest` for one of our live Notes: authorize it and answer with
 * `Accept` (result: the authorization). The quoting post must be the
 * requester's: on its server and, when it comes embedded or can be fetched,
 * attributed to it.
 */
export async function onQuoteRequested(
  ctx: InboxContext<RequestData>,
  deps: FederationDeps,
  request: QuoteRequest,
): Promise<void> {
  const { id, actorId, objectId, instrumentId } = request;
  if (id == null || actorId == null || objectId == null || instrumentId == null) return;
  // The quote is on the actor's server (checked below), so this covers it too.
  if (await blocked(deps, actorId, request)) return;
  if ((await liveNoteSlug(deps, ctx, objectId)) == null) {
    logger.debug("Ignoring a QuoteRequest for {object}, not a Note of ours", {
      object: objectId.href,
    });
    return;
  }
  if (instrumentId.origin !== actorId.origin) {
    logger.warning("QuoteRequest {id}: the quote {quote} is not on {actor}'s server", {
      id: id.href,
      quote: instrumentId.href,
      actor: actorId.href,
    });
    return;
  }
  const quote = await request
    .getInstrument({
      ...loadersOf(ctx),
      suppressError: true,
    })
    .catch(() => null);
  const author = quote?.attributionId;
  if (author != null && author.href !== actorId.href) {
    logger.warning("QuoteRequest {id}: the quote is {author}'s, not {actor}'s", {
      id: id.href,
      author: author.href,
      actor: actorId.href,
    });
    return;
  }
  const requester = await request.getActor({ ...loadersOf(ctx), suppressError: true });
  if (!isActor(requester) || requester.id == null || requester.inboxId == null) return;
  const grant = grantId(instrumentId, objectId);
  await deps.kv.set(grantKey(grant), {
    interactingObject: instrumentId.href,
    interactionTarget: objectId.href,
    actor: actorId.href,
  } satisfies QuoteGrant);
  // A post quotes one Note (Mastodon) or a few: the index stays small.
  const given = (await deps.kv.get<string[]>(byQuoteKey(instrumentId))) ?? [];
  if (!given.includes(grant)) await deps.kv.set(byQuoteKey(instrumentId), [...given, grant]);
  const identifier = actorIdentifier(deps);
  const actorUri = new URL(deps.urls.actor(identifier));
  const accept = new Accept({
    // A fragment of the actor, as Mastodon's Accepts are; fresh, so a peer
    // that dedupes ids takes a repeated answer too.
    id: new URL(`#accepts/quotes/${randomUUID()}`, actorUri),
    actor: actorUri,
    to: requester.id,
    object: new QuoteRequest({ id, actor: actorId, object: objectId, instrument: instrumentId }),
    result: new URL(deps.urls.quoteAuthorization(grant)),
  });
  await ctx.sendActivity({ identifier }, requester, accept);
  logger.info("{actor} may quote {object} in {quote}", {
    actor: actorId.href,
    object: objectId.href,
    quote: instrumentId.href,
  });
}

/**
 * Ends the authorizations of `quote` when its author deletes it (a Delete of
 * the quoting post). Returns how many ended.
 */
export async function forgetQuote(deps: FederationDeps, actorId: URL, quote: URL): Promise<number> {
  const given = (await deps.kv.get<string[]>(byQuoteKey(quote))) ?? [];
  let ended = 0;
  for (const grant of given) {
    const stored = await deps.kv.get<QuoteGrant>(grantKey(grant));
    if (stored == null || stored.actor !== actorId.href) continue;
    await deps.kv.delete(grantKey(grant));
    ended++;
  }
  if (ended > 0) {
    await deps.kv.delete(byQuoteKey(quote));
    logger.info("{actor} deleted {quote}: its quote authorizations ended", {
      actor: actorId.href,
      quote: quote.href,
    });
  }
  return ended;
}

/**
 * The authorizations at their ids, while the quoted Note is live (a removed
 * article's quotes are no longer vouched for) and the quoting actor is not
 * blocked (its domain included): a block ends them, for good.
 */
export function registerQuoteAuthorizations(
  federation: Federation<RequestData>,
  deps: FederationDeps,
): void {
  federation.setObjectDispatcher(QuoteAuthorization, PATHS.quoteAuthorization, async (ctx, v) => {
    const grant = await deps.kv.get<QuoteGrant>(grantKey(v.id));
    if (grant == null) return null;
    if (
      (await deps.store.isBlocked(grant.actor)) ||
      (await deps.store.isBlocked(grant.interactingObject))
    ) {
      await deps.kv.delete(grantKey(v.id));
      return null;
    }
    const target = new URL(grant.interactionTarget);
    if ((await liveNoteSlug(deps, ctx, target)) == null) return null;
    return new QuoteAuthorization({
      id: new URL(deps.urls.quoteAuthorization(v.id)),
      attribution: new URL(deps.urls.actor(actorIdentifier(deps))),
      interactingObject: new URL(grant.interactingObject),
      interactionTarget: target,
    });
  });
}
