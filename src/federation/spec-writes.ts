/**
 * Fewer key-value writes per delivery.
 *
 * Fedify remembers, per server origin, which HTTP-signature spec a server
 * accepted: after every successful delivery it writes that spec to the
 * key-value store (`KvSpecDeterminer.rememberSpec`), also when it is the one
 * tried first anyway. In a fan-out that is one database write per delivery
 * (~5 % of a delivery thread's time in the profile), nearly always of what an
 * absent entry already means: `determineSpec` falls back to the first knock.
 * So here writing the first-knock spec deletes the entry instead, and is
 * skipped when this thread has just read or made the entry absent. Another
 * thread writing in between can at worst leave a server's preference to the
 * other spec, which Fedify's double knock corrects on the next delivery.
 */
import type { KvKey, KvStore, KvStoreSetOptions } from "@fedify/fedify";

/** Fedify's default `kvPrefixes.httpMessageSignaturesSpec`. */
export const SPEC_PREFIX: KvKey = ["_fedify", "httpMessageSignaturesSpec"];
/** Entries known absent, at most (then forgotten all at once: a cache, not state). */
const MAX_KNOWN = 20_000;

function under(key: KvKey, prefix: KvKey): boolean {
  return key.length === prefix.length + 1 && prefix.every((part, i) => key[i] === part);
}

/** `kv` with first-knock spec writes elided as described above. */
export function elideDefaultSpecWrites(
  kv: KvStore,
  firstKnock: string,
  prefix = SPEC_PREFIX,
): KvStore {
  const absent = new Set<string>();
  const known = (key: KvKey) => absent.has(JSON.stringify(key));
  const markAbsent = (key: KvKey) => {
    if (absent.size >= MAX_KNOWN) absent.clear();
    absent.add(JSON.stringify(key));
  };
  const forget = (key: KvKey) => absent.delete(JSON.stringify(key));
  const wrapped: KvStore = {
    async get<T = unknown>(key: KvKey): Promise<T | undefined> {
      const value = await kv.get<T>(key);
      if (under(key, prefix)) {
        if (value === undefined) markAbsent(key);
        else forget(key);
      }
      return value;
    },
    async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
      if (!under(key, prefix) || value !== firstKnock) {
        if (under(key, prefix)) forget(key);
        return kv.set(key, value, options);
      }
      if (known(key)) return;
      await kv.delete(key);
      markAbsent(key);
    },
    async delete(key: KvKey): Promise<void> {
      await kv.delete(key);
      if (under(key, prefix)) markAbsent(key);
    },
    list: (prefixToList) => kv.list(prefixToList),
  };
  if (kv.cas) {
    const cas = kv.cas.bind(kv);
    wrapped.cas = async (key, expected, value, options) => {
      if (under(key, prefix)) forget(key);
      return cas(key, expected, value, options);
    };
  }
  return wrapped;
}
