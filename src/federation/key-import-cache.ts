/**
 * Imports each private key once per thread instead of once per delivery.
 *
 * Why patch WebCrypto: Fedify 2.3.8 carries the actor's private keys as JWK in
 * every queued outbox message, and its handler imports both of them (RSA and
 * Ed25519) again for each delivery (`#listenOutboxMessage` → `importJwk` →
 * `crypto.subtle.importKey`): ~8 % of a fan-out's CPU in the profile, more than
 * the RSA signature's share on the main thread. It offers no hook to hand it an
 * imported `CryptoKey`. A `CryptoKey` is immutable, so importing the same JWK
 * with the same algorithm, extractability and usages always gives an
 * equivalent key; returning the one imported before changes nothing but the
 * cost. Only private JWKs are remembered (public keys of peers vary and are
 * cached by Fedify's key cache), at most a few (one per actor key).
 */

import type { webcrypto } from "node:crypto";

type Subtle = typeof globalThis.crypto.subtle;
type Key = webcrypto.CryptoKey;
type ImportKey = Subtle["importKey"];

const INSTALLED = Symbol.for("loa.keyImportCache");
const DEFAULT_ENTRIES = 8;

/** A stable text for a JSON-like value: object keys sorted, so field order does not matter. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function isPrivateJwk(format: unknown, keyData: unknown): boolean {
  return (
    format === "jwk" &&
    typeof keyData === "object" &&
    keyData !== null &&
    typeof (keyData as { d?: unknown }).d === "string"
  );
}

/**
 * Wraps `importKey` of `subtle` (by default this thread's `crypto.subtle`) so
 * that a private JWK imported before with the same algorithm, extractability
 * and usages resolves to the same `CryptoKey`. Once per `subtle`; later calls
 * do nothing. A failed import is not remembered.
 */
export function installKeyImportCache(
  subtle: Subtle = globalThis.crypto.subtle,
  maxEntries = DEFAULT_ENTRIES,
): void {
  const marked = subtle as Subtle & { [INSTALLED]?: true };
  if (marked[INSTALLED]) return;
  const original = subtle.importKey;
  const cache = new Map<string, Promise<Key>>();
  const importKey = function (this: Subtle, ...args: Parameters<ImportKey>) {
    const [format, keyData, algorithm, extractable, usages] = args as unknown[];
    if (!isPrivateJwk(format, keyData)) return Reflect.apply(original, this, args);
    const key = canonical([keyData, algorithm, extractable, usages]);
    const hit = cache.get(key);
    if (hit) {
      // Most recently used last, so the oldest is the one dropped.
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const imported = Reflect.apply(original, this, args) as Promise<Key>;
    cache.set(key, imported);
    imported.catch(() => cache.delete(key));
    while (cache.size > maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
    return imported;
  } as ImportKey;
  Object.defineProperty(subtle, "importKey", {
    value: importKey,
    configurable: true,
    writable: true,
  });
  Object.defineProperty(subtle, INSTALLED, { value: true });
}
