import type { Sql, TransactionSql } from "postgres";
import {
  type InteractionRow,
  type StoredRow,
  toInteraction,
  toStoredForPut,
} from "../interaction-rows.ts";
import {
  type ActorUsage,
  decidePut,
  hostOf,
  hostsCovered,
  type InteractionPart,
  planList,
  toPage,
} from "../interaction-rules.ts";
import type { ActorLimits, Interaction, PutResult } from "../interactions.ts";
import { type PostgresTime, postgresTime } from "../rows.ts";
import { changeAudited } from "./audit.ts";

/** Replies, mentions, likes and boosts on PostgreSQL (the blocks are in `blocks.ts`). */
export function postgresInteractions(sql: Sql): InteractionPart {
  return {
    async putInteraction(interaction, options = {}) {
      // The row is locked while judged, so two deliveries of one id (from
      // different processes) are decided one after the other. Two first
      // deliveries race on the insert (of one id, or of one actor's like of
      // one article under two ids): the loser finds the row on its retry.
      for (;;) {
        const result = await sql.begin((tx) => put(tx, interaction, options.limits));
        if (result !== null) return result;
      }
    },

    async getInteraction(id) {
      const rows = await sql<
        InteractionRow<PostgresTime>[]
      >`SELECT * FROM interactions WHERE id = ${id}`;
      return rows[0] ? toInteraction(postgresTime, rows[0]) : null;
    },

    async removeInteraction(id, actorId) {
      const result = await sql`
        DELETE FROM interactions WHERE id = ${id} AND actor_id = ${actorId}`;
      return result.count > 0;
    },

    async removeReaction(actorId, kind, slug) {
      const result = await sql`
        DELETE FROM interactions
        WHERE actor_id = ${actorId} AND kind = ${kind} AND slug = ${slug}`;
      return result.count;
    },

    async removeInteractionsBy(actorId) {
      const result = await sql`DELETE FROM interactions WHERE actor_id = ${actorId}`;
      return result.count;
    },

    async removeInteractionsFromHost(host) {
      const hosts = await sql<
        { host: string }[]
      >`SELECT DISTINCT actor_host AS host FROM interactions`;
      const covered = hostsCovered(
        host,
        hosts.map((h) => h.host),
      );
      const result = await sql`
        DELETE FROM interactions WHERE actor_host = ANY(${sql.array(covered)}::text[])`;
      return result.count;
    },

    setModeration: (id, state, audit) =>
      changeAudited(
        sql,
        (tx) => tx`UPDATE interactions SET state = ${state} WHERE id = ${id}`,
        audit,
      ),

    async listInteractions(query) {
      const plan = planList(query);
      if (plan === null) return { items: [], next: null };
      const filters = [sql`TRUE`];
      if (query.slug !== undefined) filters.push(sql`slug = ${query.slug}`);
      if (plan.kinds !== null) filters.push(sql`kind IN ${sql([...plan.kinds])}`);
      if (query.state !== undefined) filters.push(sql`state = ${query.state}`);
      if (query.visibility !== undefined) filters.push(sql`visibility = ${query.visibility}`);
      if (query.actorId !== undefined) filters.push(sql`actor_id = ${query.actorId}`);
      if (plan.after !== null) {
        const { published, id } = plan.after;
        filters.push(
          plan.order === "asc"
            ? sql`(published, id) > (${published}, ${id})`
            : sql`(published, id) < (${published}, ${id})`,
        );
      }
      const where = filters.reduce((all, filter) => sql`${all} AND ${filter}`);
      const order =
        plan.order === "asc" ? sql`published ASC, id ASC` : sql`published DESC, id DESC`;
      const rows = await sql<InteractionRow<PostgresTime>[]>`
        SELECT * FROM interactions WHERE ${where} ORDER BY ${order} LIMIT ${plan.limit + 1}`;
      return toPage(
        rows.map((row) => toInteraction(postgresTime, row)),
        plan,
      );
    },

    async countInteractions(slug) {
      const rows = await sql<{ replies: string; likes: string; announces: string }[]>`
        SELECT
          (SELECT count(*) FROM interactions WHERE slug = ${slug} AND kind = 'reply'
             AND state = 'approved' AND visibility = 'public') AS replies,
          (SELECT count(*) FROM interactions WHERE slug = ${slug} AND kind = 'like') AS likes,
          (SELECT count(*) FROM interactions
             WHERE slug = ${slug} AND kind = 'announce') AS announces`;
      const row = rows[0];
      return {
        replies: Number(row?.replies ?? 0),
        likes: Number(row?.likes ?? 0),
        announces: Number(row?.announces ?? 0),
      };
    },

    async countByState(state, kinds) {
      const distinct = [...new Set(kinds)];
      if (distinct.length === 0) return 0;
      const rows = await sql<{ n: string }[]>`
        SELECT count(*) AS n FROM interactions WHERE state = ${state} AND kind IN ${sql(distinct)}`;
      return Number(rows[0]?.n ?? 0);
    },
  };
}

/** One attempt at a put; null when a concurrent first delivery won the insert. */
async function put(
  tx: TransactionSql,
  i: Interaction,
  limits: ActorLimits | undefined,
): Promise<PutResult | null> {
  const [row] = await tx<StoredRow<PostgresTime>[]>`
    SELECT actor_id, html, in_reply_to, updated, visibility, state
    FROM interactions WHERE id = ${i.id} FOR UPDATE`;
  if (row === undefined && (i.kind === "like" || i.kind === "announce")) {
    // One per actor, kind and article (the unique index `interactions_one_reaction`).
    const [same] = await tx`
      SELECT 1 FROM interactions
      WHERE actor_id = ${i.author.actorId} AND kind = ${i.kind} AND slug IS NOT DISTINCT FROM ${i.slug}
      LIMIT 1`;
    if (same !== undefined) return "unchanged";
  }
  const decision = decidePut(
    row === undefined ? null : toStoredForPut(postgresTime, row),
    i,
    limits && { limits, usage: await usageOf(tx, i.author.actorId) },
  );
  if (decision.result === "created") {
    const inserted = await tx`
      INSERT INTO interactions (id, kind, actor_id, actor_host, author_name, author_handle,
        author_avatar_url, author_profile_url, slug, in_reply_to, url, language, html,
        visibility, state, published, updated, received_at)
      VALUES (${i.id}, ${i.kind}, ${i.author.actorId}, ${hostOf(i.author.actorId)},
        ${i.author.name}, ${i.author.handle}, ${i.author.avatarUrl}, ${i.author.profileUrl},
        ${i.slug}, ${i.inReplyTo}, ${i.url}, ${i.language}, ${i.html}, ${i.visibility},
        ${i.state}, ${i.published}, ${i.updated}, ${i.receivedAt})
      ON CONFLICT DO NOTHING`;
    return inserted.count > 0 ? "created" : null;
  }
  if (decision.result === "updated") {
    // What the author may change, and the state decidePut chose; `received_at` stays.
    await tx`
      UPDATE interactions SET kind = ${i.kind}, author_name = ${i.author.name},
        author_handle = ${i.author.handle}, author_avatar_url = ${i.author.avatarUrl},
        author_profile_url = ${i.author.profileUrl}, slug = ${i.slug},
        in_reply_to = ${i.inReplyTo}, url = ${i.url}, language = ${i.language},
        html = ${i.html}, visibility = ${i.visibility}, published = ${i.published},
        updated = ${i.updated}, state = ${decision.state}
      WHERE id = ${i.id}`;
  }
  return decision.result;
}

/**
 * What the actor keeps. Two puts of one actor under different ids may read
 * it at once and both pass by one: the bound holds within the number of
 * concurrent deliveries, which is what it is for.
 */
async function usageOf(tx: TransactionSql, actorId: string): Promise<ActorUsage> {
  const [row] = await tx<{ pending: string; bytes: string }[]>`
    SELECT count(*) FILTER (WHERE state = 'pending' AND kind IN ('reply', 'mention')) AS pending,
           coalesce(sum(octet_length(html)), 0) AS bytes
    FROM interactions WHERE actor_id = ${actorId}`;
  return { pending: Number(row?.pending ?? 0), bytes: Number(row?.bytes ?? 0) };
}
