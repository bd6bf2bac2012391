/**
 * Moving house: the town's account moves to another one (`npm run move`).
 * Mastodon follows a `Move` only when the new account lists the old one in
 * its `alsoKnownAs`, so that is checked first; then the move is recorded
 * (the actor shows `movedTo` from then on) and `Move` goes to every follower
 * through the durable queue. The actor and WebFinger keep answering, so
 * followers' servers can still verify the Move and find the new account.
 */
import type { Federation, KvKey, KvStore } from "@fedify/fedify";
import { isActor, Move } from "@fedify/fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { SendToFollowers } from "../publish/deps.ts";
import { PATHS, type Urls } from "../urls.ts";
import { actorIdentifier, type FederationDeps } from "./deps.ts";
import { newRequestData, type RequestData } from "./request-data.ts";

const logger = getLogger(["loa", "federation", "move"]);

/** The move, once made (kept in Fedify's key–value store). */
export interface MoveState {
  /** The new account's actor id. */
  target: string;
  /** Numbers the Move's id; a move again to the same account reuses it. */
  version: number;
  /** When it was recorded (ISO 8601). */
  at: string;
}

export type MoveResult =
  | { ok: true; moveId: string; target: string; followers: number; inboxes: number }
  | { ok: false; reason: string };

const KEY: KvKey = ["loa", "move"];

/**
 * Fedify's default `kvPrefixes.remoteDocument`: where its document loader
 * caches what it fetched (for 5 minutes).
 */
const REMOTE_DOCUMENT_PREFIX: KvKey = ["_fedify", "remoteDocument"];

export async function readMove(kv: KvStore): Promise<MoveState | null> {
  return (await kv.get<MoveState>(KEY)) ?? null;
}

/** Records a move (the CLI does, through {@link moveAccount}; tests may directly). */
export async function recordMove(kv: KvStore, state: MoveState): Promise<void> {
  await kv.set(KEY, state);
}

function toMove(urls: Urls, username: string, state: MoveState): Move {
  const actorId = new URL(urls.actor(username));
  return new Move({
    id: new URL(urls.move(state.version)),
    actor: actorId,
    object: actorId,
    target: new URL(state.target),
    to: new URL(urls.followers(username)),
  });
}

/** The Move at its id, so it dereferences like every activity we send. */
export function registerMove(federation: Federation<RequestData>, deps: FederationDeps): void {
  federation.setObjectDispatcher(Move, PATHS.moveActivity, async (_ctx, { version }) => {
    const state = await readMove(deps.kv);
    if (state == null || String(state.version) !== version) return null;
    return toMove(deps.urls, actorIdentifier(deps), state);
  });
}

/**
 * Checks `target` (an actor URL) lists our actor in `alsoKnownAs`, records
 * the move and enqueues `Move` for every follower. A refusal sends nothing.
 */
export async function moveAccount(
  deps: FederationDeps,
  federation: Federation<RequestData>,
  send: SendToFollowers,
  target: string,
): Promise<MoveResult> {
  let targetUrl: URL;
  try {
    targetUrl = new URL(target);
  } catch {
    return { ok: false, reason: `${target} is not a URL (give the new account's actor URL)` };
  }
  if (targetUrl.protocol !== "https:" && targetUrl.protocol !== "http:") {
    return { ok: false, reason: `${target} is not an http(s) URL` };
  }
  const username = actorIdentifier(deps);
  const ours = deps.urls.actor(username);
  const ctx = federation.createContext(deps.config.origin, newRequestData());
  // Fresh, not from the loader's cache: an operator who was refused, then
  // added the alias on the new account, runs this again at once.
  await deps.kv.delete([...REMOTE_DOCUMENT_PREFIX, targetUrl.href]);
  let actor: unknown;
  try {
    actor = await ctx.lookupObject(targetUrl.href);
  } catch (error) {
    return { ok: false, reason: `cannot fetch ${target}: ${(error as Error).message}` };
  }
  if (!isActor(actor) || actor.id == null) {
    return { ok: false, reason: `${target} is not an ActivityPub actor (or cannot be fetched)` };
  }
  if (actor.id.href === ours) return { ok: false, reason: "that is this account itself" };
  if (!actor.aliasIds.some((alias) => alias.href === ours)) {
    return {
      ok: false,
      reason:
        `${actor.id.href} does not list ${ours} in its alsoKnownAs, so its followers' servers ` +
        "would refuse the Move: add this account as an alias on the new one first",
    };
  }
  const previous = await readMove(deps.kv);
  const state: MoveState = {
    target: actor.id.href,
    version: previous?.target === actor.id.href ? previous.version : (previous?.version ?? 0) + 1,
    at: deps.clock().toISOString(),
  };
  await recordMove(deps.kv, state);
  const move = toMove(deps.urls, username, state);
  const { followers, inboxes } = await audience(deps);
  await send(move);
  logger.info("Moved to {target}; sent {move} to {followers} followers", {
    target: state.target,
    move: move.id?.href,
    followers,
  });
  return { ok: true, moveId: move.id?.href ?? "", target: state.target, followers, inboxes };
}

/** How many followers, and how many inboxes (shared ones counted once), a send reaches. */
async function audience(deps: FederationDeps): Promise<{ followers: number; inboxes: number }> {
  const inboxes = new Set<string>();
  let followers = 0;
  let next: string | null = null;
  do {
    const page = await deps.store.listFollowers({ cursor: next, limit: 500 });
    for (const follower of page.items) {
      followers++;
      inboxes.add(follower.sharedInbox ?? follower.inbox);
    }
    next = page.next;
  } while (next != null);
  return { followers, inboxes: inboxes.size };
}
