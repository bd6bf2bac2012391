import type { DatabaseSync } from "node:sqlite";
import { isDeepStrictEqual } from "node:util";
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { prepared, transaction } from "./open.ts";

/**
 * Fedify's {@link KvStore} on the embedded SQLite database.
 *
 * Our own rather than `@fedify/sqlite`'s: that one matches prefixes with `LIKE`,
 * which is case-insensitive for ASCII and treats `_`/`%` in keys as wildcards,
 * so `list(["Foo"])` also returns `["foo", …]`. Here keys are stored as their
 * JSON text, and a prefix is matched by comparing the leading characters
 * exactly (JSON escapes `"` inside strings, so `["a",` is a true prefix).
 */
export class SqliteKvStore implements KvStore {
  readonly #db: DatabaseSync;
  #lastSweep = 0;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const row = prepared(
      this.#db,
      "SELECT value FROM kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)",
    ).get(JSON.stringify(key), Date.now()) as { value: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value) as T);
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    if (value === undefined) return this.delete(key);
    this.#put(JSON.stringify(key), value, options);
    this.#sweep();
  }

  async delete(key: KvKey): Promise<void> {
    prepared(this.#db, "DELETE FROM kv WHERE key = ?").run(JSON.stringify(key));
  }

  async cas(
    key: KvKey,
    expectedValue: unknown,
    newValue: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> {
    const encoded = JSON.stringify(key);
    return transaction(this.#db, () => {
      const row = prepared(
        this.#db,
        "SELECT value FROM kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)",
      ).get(encoded, Date.now()) as { value: string } | undefined;
      const current = row === undefined ? undefined : JSON.parse(row.value);
      if (!isDeepStrictEqual(current, expectedValue)) return false;
      if (newValue === undefined) {
        prepared(this.#db, "DELETE FROM kv WHERE key = ?").run(encoded);
      } else {
        this.#put(encoded, newValue, options);
      }
      return true;
    });
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const now = Date.now();
    let rows: { key: string; value: string }[];
    if (prefix == null || prefix.length === 0) {
      rows = prepared(
        this.#db,
        "SELECT key, value FROM kv WHERE expires_at IS NULL OR expires_at > ? ORDER BY key",
      ).all(now) as unknown as { key: string; value: string }[];
    } else {
      const exact = JSON.stringify(prefix);
      const head = `${exact.slice(0, -1)},`;
      rows = prepared(
        this.#db,
        `SELECT key, value FROM kv
           WHERE (key = ?1 OR substr(key, 1, length(?2)) = ?2)
             AND (expires_at IS NULL OR expires_at > ?3)
           ORDER BY key`,
      ).all(exact, head, now) as unknown as { key: string; value: string }[];
    }
    for (const row of rows) {
      yield { key: JSON.parse(row.key) as KvKey, value: JSON.parse(row.value) };
    }
  }

  #put(encodedKey: string, value: unknown, options: KvStoreSetOptions | undefined): void {
    const ttl = options?.ttl?.total("millisecond");
    prepared(
      this.#db,
      `INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
    ).run(encodedKey, JSON.stringify(value), ttl === undefined ? null : Date.now() + ttl);
  }

  /** Deletes expired entries, at most once a minute (reads already ignore them). */
  #sweep(): void {
    const now = Date.now();
    if (now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    prepared(this.#db, "DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?").run(now);
  }
}
