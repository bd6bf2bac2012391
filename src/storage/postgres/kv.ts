import { isDeepStrictEqual } from "node:util";
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import type { JSONValue, Sql, TransactionSql } from "postgres";

/**
 * Fedify's {@link KvStore} on PostgreSQL. Keys are `text[]`, so a prefix is an
 * exact array slice; values are `jsonb` written with `sql.json()` (a string cast
 * to jsonb would be stored double-encoded). A JSON `null` is stored as SQL NULL.
 */
export class PostgresKvStore implements KvStore {
  readonly #sql: Sql;
  #lastSweep = 0;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const rows = await this.#sql<{ value: unknown }[]>`
      SELECT value FROM kv
      WHERE key = ${this.#sql.array([...key])}::text[]
        AND (expires_at IS NULL OR expires_at > clock_timestamp())`;
    return rows[0] === undefined ? undefined : (rows[0].value as T);
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    if (value === undefined) return this.delete(key);
    await this.#put(this.#sql, key, value, options);
    await this.#sweep();
  }

  async delete(key: KvKey): Promise<void> {
    await this.#sql`DELETE FROM kv WHERE key = ${this.#sql.array([...key])}::text[]`;
  }

  async cas(
    key: KvKey,
    expectedValue: unknown,
    newValue: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> {
    const k = this.#sql.array([...key]);
    return await this.#sql.begin(async (tx) => {
      // Serialises every CAS on this key, including when no row exists yet
      // (FOR UPDATE alone cannot lock a missing row).
      await tx`SELECT pg_advisory_xact_lock(hashtext(array_to_string(${k}::text[], chr(31))))`;
      const rows = await tx<{ value: unknown }[]>`
        SELECT value FROM kv
        WHERE key = ${k}::text[] AND (expires_at IS NULL OR expires_at > clock_timestamp())`;
      const current = rows[0] === undefined ? undefined : rows[0].value;
      if (!isDeepStrictEqual(current, expectedValue)) return false;
      if (newValue === undefined) await tx`DELETE FROM kv WHERE key = ${k}::text[]`;
      else await this.#put(tx, key, newValue, options);
      return true;
    });
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const rows =
      prefix == null || prefix.length === 0
        ? await this.#sql<{ key: string[]; value: unknown }[]>`
            SELECT key, value FROM kv
            WHERE expires_at IS NULL OR expires_at > clock_timestamp()
            ORDER BY key`
        : await this.#sql<{ key: string[]; value: unknown }[]>`
            SELECT key, value FROM kv
            WHERE key[1:${prefix.length}] = ${this.#sql.array([...prefix])}::text[]
              AND (expires_at IS NULL OR expires_at > clock_timestamp())
            ORDER BY key`;
    for (const row of rows) yield { key: row.key as unknown as KvKey, value: row.value };
  }

  async #put(
    sql: Sql | TransactionSql,
    key: KvKey,
    value: unknown,
    options: KvStoreSetOptions | undefined,
  ): Promise<void> {
    const ttl = options?.ttl?.total("millisecond") ?? null;
    // JSON round trip: drops `undefined` members and turns Dates into strings,
    // as the SQLite store does, so both backends return the same values.
    const json = JSON.parse(JSON.stringify(value)) as JSONValue;
    await sql`
      INSERT INTO kv (key, value, expires_at)
      VALUES (${sql.array([...key])}::text[], ${json === null ? null : sql.json(json)},
              clock_timestamp() + ${ttl}::double precision * interval '1 millisecond')
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`;
  }

  /** Deletes expired entries, at most once a minute per process (reads already skip them). */
  async #sweep(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    await this.#sql`DELETE FROM kv WHERE expires_at <= clock_timestamp()`;
  }
}
