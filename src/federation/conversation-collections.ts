import type { Federation } from "@fedify/fedify";
import { Announce, Like, Note } from "@fedify/fedify/vocab";
import { PATHS } from "../urls.ts";
import type { FederationDeps } from "./deps.ts";
import { findPublished } from "./objects.ts";
import type { RequestData } from "./request-data.ts";

const PAGE_SIZE = 20;
/** Fedify needs a non-null first cursor for a paged collection; the store's first page is `null`. */
const FIRST = "first";

/**
 * Each Note's `replies` (the approved public replies, paged, as their ids:
 * Mastodon fetches each to build the thread), `likes` and `shares` (their
 * counts only: who liked a post is the liker's business, as on Mastodon).
 */
export function registerConversationCollections(
  federation: Federation<RequestData>,
  deps: FederationDeps,
): void {
  const known = (slug: string) => findPublished(deps, slug) !== undefined;
  federation
    .setCollectionDispatcher("replies", Note, PATHS.replies, async (_ctx, { slug }, cursor) => {
      if (!known(slug) || cursor === null) return null;
      const page = await deps.store.listInteractions({
        slug,
        kind: "reply",
        state: "approved",
        visibility: "public",
        cursor: cursor === FIRST ? null : cursor,
        limit: PAGE_SIZE,
      });
      return {
        items: page.items.map((reply) => new Note({ id: new URL(reply.id) })),
        nextCursor: page.next,
      };
    })
    .setCounter(async (_ctx, { slug }) =>
      known(slug) ? (await deps.store.countInteractions(slug)).replies : null,
    )
    .setFirstCursor((_ctx, { slug }) => (known(slug) ? FIRST : null));
  federation
    .setCollectionDispatcher("likes", Like, PATHS.likes, (_ctx, { slug }) =>
      known(slug) ? { items: [] } : null,
    )
    .setCounter(async (_ctx, { slug }) =>
      known(slug) ? (await deps.store.countInteractions(slug)).likes : null,
    );
  federation
    .setCollectionDispatcher("shares", Announce, PATHS.shares, (_ctx, { slug }) =>
      known(slug) ? { items: [] } : null,
    )
    .setCounter(async (_ctx, { slug }) =>
      known(slug) ? (await deps.store.countInteractions(slug)).announces : null,
    );
}
