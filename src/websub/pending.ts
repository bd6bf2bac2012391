/**
 * A bound on verifications of intent waiting in the queue, in total and per
 * callback domain: every `POST /websub` from a stranger would otherwise add
 * one (and its retries) for as long as the queue keeps them. A reservation is
 * a key in the shared KV store (so every web process counts the same ones),
 * taken when the request is accepted and given back when its verification
 * ends; one that is never given back (a crash) lapses after
 * {@link RESERVATION_TTL_MS}. Taking one is serialized in this process, so
 * parallel requests cannot all see room for one; across several web
 * processes two may still overshoot by one each.
 */
import { createHash } from "node:crypto";
import type { KvStore } from "@fedify/fedify";
import { Temporal as Polyfill } from "@js-temporal/polyfill";

const PREFIX = ["websub", "pending"] as const;
/** Longer than a verification's retries run with the default retry policy. */
export const RESERVATION_TTL_MS = 2 * 86_400_000;

export interface PendingLimits {
  total: number;
  perDomain: number;
}

/** What is pending: one request's mode, topic and callback, under its callback's domain. */
export interface PendingKey {
  domain: string;
  mode: string;
  topic: string;
  callback: string;
}

/** A new place taken, the same request already pending, or why there is no room. */
export type Reservation = { taken: true } | { taken: false; reason: string | null };

export interface PendingVerifications {
  /** Takes a place for `key` (`reason` null: the same request is already pending). */
  reserve(key: PendingKey): Promise<Reservation>;
  /** Gives the place back (the verification ended one way or another). */
  release(key: PendingKey): Promise<void>;
}

function keyOf(key: PendingKey): [string, ...string[]] {
  const id = createHash("sha256")
    .update(`${key.mode}\n${key.topic}\n${key.callback}`)
    .digest("base64url");
  return [...PREFIX, key.domain, id];
}

/** How many keys are under `prefix`, counting no further than `max`. */
async function countUpTo(kv: KvStore, prefix: readonly string[], max: number): Promise<number> {
  if (kv.list === undefined) return 0;
  let n = 0;
  for await (const _ of kv.list(prefix as [string, ...string[]])) {
    if (++n >= max) break;
  }
  return n;
}

export function pendingVerifications(kv: KvStore, limits: PendingLimits): PendingVerifications {
  let turn: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work);
    turn = result.catch(() => {});
    return result;
  };
  return {
    reserve: (pending) =>
      serialized(async () => {
        const key = keyOf(pending);
        const { domain } = pending;
        // The same request again takes no second place (and needs no second verification).
        if ((await kv.get(key)) !== undefined) return { taken: false, reason: null };
        if ((await countUpTo(kv, [...PREFIX, domain], limits.perDomain)) >= limits.perDomain) {
          return {
            taken: false,
            reason: `${domain} already has ${limits.perDomain} verifications pending`,
          };
        }
        if ((await countUpTo(kv, PREFIX, limits.total)) >= limits.total) {
          return {
            taken: false,
            reason: `the hub already has ${limits.total} verifications pending`,
          };
        }
        // The cast: see retry.ts (Fedify's types name the Temporal lib, it runs the polyfill).
        const ttl = Polyfill.Duration.from({ milliseconds: RESERVATION_TTL_MS });
        await kv.set(key, Date.now(), { ttl: ttl as unknown as Temporal.Duration });
        return { taken: true };
      }),
    release: async (pending) => {
      await kv.delete(keyOf(pending));
    },
  };
}
