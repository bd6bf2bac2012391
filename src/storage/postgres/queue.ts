import type {
  MessageQueue,
  MessageQueueDepth,
  MessageQueueEnqueueOptions,
  MessageQueueListenOptions,
} from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { JSONValue, Sql } from "postgres";
import type { Lane, LaneQueue } from "../lanes.ts";
import { insertBatch, queuedInserts, Wakeup } from "../queue-enqueue.ts";
import {
  type ClaimedMessage,
  type GroupedListenOptions,
  groupOptions,
  type QueueOptions,
  runListenLoop,
} from "../queue-listener.ts";

const logger = getLogger(["loa", "storage", "queue"]);

/** The NOTIFY channel that wakes a lane's listeners in every process when a message is enqueued. */
function channelOf(lane: Lane): string {
  return `loa_queue_${lane}`;
}

/**
 * Fedify's {@link MessageQueue} on one lane of the PostgreSQL queue (ordering
 * holds within the lane), at-least-once across processes:
 * a listener claims a message with `FOR UPDATE SKIP LOCKED` and a lease, and
 * deletes it only after handling (see `queue-listener.ts`). `LISTEN/NOTIFY`
 * wakes idle listeners at once; polling covers delays and missed notices.
 * Honours `delay` and `orderingKey`. Do not wrap it in `ParallelMessageQueue`;
 * use the `workers` option.
 */
export class PostgresMessageQueue implements LaneQueue {
  readonly nativeRetrial = false;
  readonly #sql: Sql;
  readonly #lane: Lane;
  readonly #channel: string;
  readonly #wakeup = new Wakeup();
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #workers: number;
  readonly #batcher = insertBatch(async (items) => {
    // One statement for the batch; the ordinality keeps ids in enqueue order.
    const rows = items.map((item) => ({ m: item.message, k: item.orderingKey, d: item.delayMs }));
    await this.#sql.begin(async (tx) => {
      await tx`
        INSERT INTO queue (message, ordering_key, ready_at, lane)
        SELECT e.item->'m', e.item->>'k',
               clock_timestamp() + (e.item->>'d')::double precision * interval '1 millisecond',
               ${this.#lane}
        FROM jsonb_array_elements(${tx.json(JSON.parse(JSON.stringify(rows)) as JSONValue)})
             WITH ORDINALITY AS e(item, n)
        ORDER BY e.n`;
      // Sent on commit, so woken listeners see the rows.
      if (items.some((item) => item.delayMs === 0))
        await tx`SELECT pg_notify(${this.#channel}, '')`;
    });
    this.#wakeup.wake();
  });

  /** `lane`: default `delivery` (see `lanes.ts`). */
  constructor(sql: Sql, options: QueueOptions = {}, lane: Lane = "delivery") {
    this.#sql = sql;
    this.#lane = lane;
    this.#channel = channelOf(lane);
    this.#pollMs = options.pollMs ?? 1000;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#workers = options.workers ?? 4;
  }

  // biome-ignore lint/suspicious/noExplicitAny: Fedify's MessageQueue declares messages as any
  async enqueue(message: any, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(
    // biome-ignore lint/suspicious/noExplicitAny: Fedify's MessageQueue declares messages as any
    messages: readonly any[],
    options?: MessageQueueEnqueueOptions,
  ): Promise<void> {
    await this.#batcher.addAll(queuedInserts(messages, options));
  }

  async listen(
    // biome-ignore lint/suspicious/noExplicitAny: Fedify's MessageQueue declares messages as any
    handler: (message: any) => Promise<void> | void,
    options: MessageQueueListenOptions & GroupedListenOptions = {},
  ): Promise<void> {
    const sql = this.#sql;
    let subscription: { unlisten(): Promise<void> } | null = null;
    try {
      subscription = await sql.listen(this.#channel, () => this.#wakeup.wake());
    } catch (error) {
      logger.warning("LISTEN failed; the queue falls back to polling: {error}", { error });
    }
    try {
      await runListenLoop(
        {
          claim: (token, leaseMs, max) => claimMany(sql, token, leaseMs, max, this.#lane),
          extend: async (claimed, leaseMs) => {
            await sql`
              UPDATE queue SET lease_until = clock_timestamp() + ${leaseMs} * interval '1 millisecond'
              WHERE id = ${claimed.id} AND lease_token = ${claimed.token}`;
          },
          complete: async (claimed) => {
            // By id alone: if the lease lapsed and another listener took the
            // message, it has been handled once already; deleting is right.
            const ids = claimed.map((c) => c.id);
            const rows = await sql<{ ordering_key: string | null }[]>`
              DELETE FROM queue WHERE id = ANY(${sql.array(ids)}::bigint[]) RETURNING ordering_key`;
            // A message held back behind one of these (same ordering key) is
            // ready now, here or in another process; without this it waits for a poll.
            this.#wakeup.wake();
            if (rows.some((row) => row.ordering_key != null)) {
              await sql`SELECT pg_notify(${this.#channel}, '')`;
            }
          },
          release: async (claimed, delayMs) => {
            const ids = claimed.map((c) => c.id);
            const tokens = claimed.map((c) => c.token);
            await sql`
              UPDATE queue SET lease_until = NULL, lease_token = NULL, attempts = attempts - 1,
                ready_at = clock_timestamp() + ${delayMs} * interval '1 millisecond'
              FROM unnest(${sql.array(ids)}::bigint[], ${sql.array(tokens)}::text[]) AS c(id, token)
              WHERE queue.id = c.id AND queue.lease_token = c.token`;
          },
          idle: (signal) => this.#wakeup.wait(this.#pollMs, signal),
        },
        handler,
        { ...groupOptions(options), workers: this.#workers, leaseMs: this.#leaseMs },
      );
    } finally {
      await subscription?.unlisten().catch(() => {});
    }
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const rows = await this.#sql<{ queued: string; ready: string }[]>`
      SELECT count(*) AS queued, count(*) FILTER (WHERE ready_at <= clock_timestamp()) AS ready
      FROM queue
      WHERE lane = ${this.#lane} AND (lease_until IS NULL OR lease_until <= clock_timestamp())`;
    const queued = Number(rows[0]?.queued ?? 0);
    const ready = Number(rows[0]?.ready ?? 0);
    return { queued, ready, delayed: queued - ready };
  }

  /** How long, in seconds, the longest-waiting due message (ready, not leased) has been due; 0 when none is. */
  async oldestDueSeconds(): Promise<number> {
    const rows = await this.#sql<{ seconds: number | null }[]>`
      SELECT extract(epoch FROM clock_timestamp() - min(ready_at))::float8 AS seconds FROM queue
      WHERE lane = ${this.#lane} AND ready_at <= clock_timestamp()
        AND (lease_until IS NULL OR lease_until <= clock_timestamp())`;
    return Math.max(0, Number(rows[0]?.seconds ?? 0));
  }
}

/**
 * Leases the oldest ready messages of `lane`, up to `max`. `SKIP LOCKED` lets
 * concurrent claimers pass over rows another is taking; re-checking the lease
 * on a locked row (READ COMMITTED re-evaluates the WHERE) keeps two from
 * taking the same one. A message with an ordering key waits while any earlier
 * message of its lane with that key is still in the table (messages are
 * deleted only once handled).
 */
export async function claimMany(
  sql: Sql,
  token: string,
  leaseMs: number,
  max: number,
  lane: Lane = "delivery",
): Promise<ClaimedMessage[]> {
  const rows = await sql<{ id: string; message: unknown }[]>`
    UPDATE queue SET
      lease_until = clock_timestamp() + ${leaseMs} * interval '1 millisecond',
      lease_token = ${token}, attempts = attempts + 1
    WHERE id IN (
      SELECT q.id FROM queue q
      WHERE q.lane = ${lane} AND q.ready_at <= clock_timestamp()
        AND (q.lease_until IS NULL OR q.lease_until <= clock_timestamp())
        AND (q.ordering_key IS NULL OR NOT EXISTS (
          SELECT 1 FROM queue p
          WHERE p.ordering_key = q.ordering_key AND p.lane = q.lane AND p.id < q.id))
      ORDER BY q.ready_at, q.id
      LIMIT ${Math.max(1, Math.floor(max))}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, message`;
  return rows
    .map((row) => ({ id: Number(row.id), token, message: row.message }))
    .sort((a, b) => a.id - b.id);
}

/** Leases the oldest ready message of `lane` (see {@link claimMany}), or returns null. */
export async function claim(
  sql: Sql,
  token: string,
  leaseMs: number,
  lane: Lane = "delivery",
): Promise<ClaimedMessage | null> {
  return (await claimMany(sql, token, leaseMs, 1, lane))[0] ?? null;
}
