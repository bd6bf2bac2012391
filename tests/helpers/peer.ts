/**
 * A second, independent ActivityPub server for end-to-end tests: its own
 * Fedify federation, keys and actor on another loopback port. It signs what it
 * sends, and Fedify verifies the signatures of what it receives (only
 * verified activities are recorded).
 */
import type { webcrypto } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createFederation, type Federation, MemoryKvStore } from "@fedify/fedify";
import {
  Activity,
  type Actor,
  Endpoints,
  Follow,
  isActor,
  Person,
  Undo,
} from "@fedify/fedify/vocab";
import { serve } from "@hono/node-server";
import { generateRsa } from "../../src/federation/keys.ts";

export interface Received {
  activity: Activity;
  /** The JSON-LD as it arrived (compacted by Fedify's parser round-trip). */
  json: Record<string, unknown>;
}

/** One POST the peer's inboxes received, as it came (before verification). */
export interface InboxRequest {
  path: string;
  headers: Headers;
  body: string;
}

export interface Peer {
  origin: string;
  actorId: URL;
  keyId: URL;
  /** The peer's RSA key, for tests that sign requests by hand. */
  privateKey: webcrypto.CryptoKey;
  /** Every activity received and verified, in arrival order. */
  received: Received[];
  /** Every POST to the peer's inboxes, verified or not, in arrival order. */
  inboxRequests: InboxRequest[];
  /** Sends a signed Follow of the actor at `actorUrl`; returns it. */
  follow(actorUrl: string): Promise<Follow>;
  /** Sends a signed Undo of an earlier Follow. */
  unfollow(actorUrl: string, follow: Follow): Promise<void>;
  /** Signs and delivers any activity (from this peer's actor) to the actor at `actorUrl`'s inbox. */
  send(actorUrl: string, activity: Activity): Promise<void>;
  /** A fresh URL on this peer (for the ids of what it sends). */
  newId(kind: string): URL;
  /** The peer actor's followers collection (for followers-only addressing). */
  followersId: URL;
  /** Polls until `count` activities match, or throws after `timeoutMs`. */
  waitFor(
    predicate: (r: Received) => boolean,
    options?: { count?: number; timeoutMs?: number },
  ): Promise<Received[]>;
  /** Holds each incoming POST this long before handling it (a slow server). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

const IDENTIFIER = "peer";

function build(keys: webcrypto.CryptoKeyPair, received: Received[]): Federation<void> {
  const federation = createFederation<void>({
    kv: new MemoryKvStore(),
    allowPrivateAddress: true,
    firstKnock: "draft-cavage-http-signatures-12",
  });
  federation
    .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
      if (identifier !== IDENTIFIER) return null;
      const pairs = await ctx.getActorKeyPairs(identifier);
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: "Test peer",
        url: new URL(`/@${identifier}`, ctx.origin),
        inbox: ctx.getInboxUri(identifier),
        followers: new URL(`/users/${identifier}/followers`, ctx.origin),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: pairs[0]?.cryptographicKey ?? null,
      });
    })
    .setKeyPairsDispatcher((_ctx, identifier) => (identifier === IDENTIFIER ? [keys] : []))
    .mapHandle((_ctx, username) => (username === IDENTIFIER ? username : null));
  federation
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    .on(Activity, async (_ctx, activity) => {
      const json = (await activity.toJsonLd({ format: "compact" })) as Record<string, unknown>;
      received.push({ activity, json });
    });
  return federation;
}

/**
 * Starts a peer on loopback. `host` names it otherwise than `127.0.0.1` (say
 * `a.blocked.localhost`): it still listens on 127.0.0.1, and a server that
 * fetches from it must resolve that name there (see `localhost-names.ts`).
 */
export async function startPeer(options: { host?: string } = {}): Promise<Peer> {
  const keys = await generateRsa();
  const received: Received[] = [];
  const inboxRequests: InboxRequest[] = [];
  const federation = build(keys, received);
  let delayMs = 0;
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve) => {
      const s = serve(
        {
          fetch: async (request) => {
            if (delayMs > 0 && request.method === "POST") {
              await new Promise((r) => setTimeout(r, delayMs));
            }
            if (request.method === "POST") {
              inboxRequests.push({
                path: new URL(request.url).pathname,
                headers: new Headers(request.headers),
                body: await request.clone().text(),
              });
            }
            return await federation.fetch(request, { contextData: undefined });
          },
          port: 0,
          hostname: "127.0.0.1",
        },
        (info: AddressInfo) => resolve({ server: s, port: info.port }),
      );
    },
  );
  const origin = `http://${options.host ?? "127.0.0.1"}:${port}`;
  const ctx = federation.createContext(new URL(origin), undefined);
  const actorId = ctx.getActorUri(IDENTIFIER);
  // Fedify's WebFinger client only speaks https, so follow by actor URL.
  const lookup = async (actorUrl: string): Promise<Actor> => {
    const actor = await ctx.lookupObject(actorUrl);
    if (!isActor(actor)) throw new Error(`${actorUrl} is not an actor`);
    return actor;
  };
  let n = 0;
  return {
    origin,
    actorId,
    keyId: new URL(`${actorId.href}#main-key`),
    privateKey: keys.privateKey,
    received,
    inboxRequests,
    async follow(actorUrl) {
      const target = await lookup(actorUrl);
      const follow = new Follow({
        id: new URL(`${origin}/follows/${++n}`),
        actor: actorId,
        object: target.id,
      });
      await ctx.sendActivity({ identifier: IDENTIFIER }, target, follow);
      return follow;
    },
    async unfollow(actorUrl, follow) {
      const target = await lookup(actorUrl);
      const undo = new Undo({
        id: new URL(`${origin}/undos/${++n}`),
        actor: actorId,
        object: follow,
      });
      await ctx.sendActivity({ identifier: IDENTIFIER }, target, undo);
    },
    async send(actorUrl, activity) {
      await ctx.sendActivity({ identifier: IDENTIFIER }, await lookup(actorUrl), activity);
    },
    async waitFor(predicate, options = {}) {
      const count = options.count ?? 1;
      const deadline = Date.now() + (options.timeoutMs ?? 15_000);
      for (;;) {
        const matches = received.filter(predicate);
        if (matches.length >= count) return matches;
        if (Date.now() > deadline) {
          throw new Error(
            `peer: ${matches.length}/${count} matching activities after waiting; got ${received
              .map((r) => r.json.type)
              .join(", ")}`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    newId: (kind) => new URL(`${origin}/${kind}/${++n}`),
    followersId: new URL(`${origin}/users/${IDENTIFIER}/followers`),
    setDelay(ms) {
      delayMs = ms;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
