/**
 * How each backend hands a time back: SQLite keeps Unix ms in an INTEGER column (a
 * number, or a bigint when read as one), PostgreSQL a `timestamptz` (a Date). The row
 * mappers (`*-rows.ts`) are written once over a row whose time columns have the type
 * `T`, and take the backend's reader of `T`.
 */
export type ReadTime<T> = (value: T) => Date;

/** SQLite's time columns: Unix milliseconds. */
export type SqliteTime = number | bigint;
/** PostgreSQL's time columns: `timestamptz`. */
export type PostgresTime = Date;

export const sqliteTime: ReadTime<SqliteTime> = (value) => new Date(Number(value));
export const postgresTime: ReadTime<PostgresTime> = (value) => value;

/** A nullable time column. */
export function maybeTime<T>(time: ReadTime<T>, value: T | null): Date | null {
  return value == null ? null : time(value);
}
