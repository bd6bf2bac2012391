import type { DatabaseSync, SQLInputValue } from "node:sqlite";
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
import type { Interaction, ModerationState } from "../interactions.ts";
import { type SqliteTime, sqliteTime } from "../rows.ts";
import { changeAudited } from "./audit.ts";
import { prepared, transaction } from "./open.ts";

/** Replies, mentions, likes and boosts on SQLite (the blocks are in `blocks.ts`). */
export function sqliteInteractions(db: DatabaseSync): InteractionPart {
  return {
    async putInteraction(interaction, options = {}) {
      return transaction(db, () => {
        const row = prepared(
          db,
          "SELECT actor_id, html, in_reply_to, updated, visibility, state FROM interactions WHERE id = ?",
        ).get(interaction.id) as StoredRow<SqliteTime> | undefined;
        if (row === undefined && isReaction(interaction) && hasReaction(db, interaction)) {
          return "unchanged";
        }
        const limits = options.limits;
        const decision = decidePut(
          row === undefined ? null : toStoredForPut(sqliteTime, row),
          interaction,
          limits && { limits, usage: usageOf(db, interaction.author.actorId) },
        );
        if (decision.result === "created") insert(db, interaction);
        else if (decision.result === "updated") replace(db, interaction, decision.state);
        return decision.result;
      });
    },

    async getInteraction(id) {
      const row = prepared(db, "SELECT * FROM interactions WHERE id = ?").get(id);
      return row === undefined
        ? null
        : toInteraction(sqliteTime, row as unknown as InteractionRow<SqliteTime>);
    },

    async removeInteraction(id, actorId) {
      const result = prepared(db, "DELETE FROM interactions WHERE id = ? AND actor_id = ?").run(
        id,
        actorId,
      );
      return Number(result.changes) > 0;
    },

    async removeReaction(actorId, kind, slug) {
      const result = prepared(
        db,
        "DELETE FROM interactions WHERE actor_id = ? AND kind = ? AND slug = ?",
      ).run(actorId, kind, slug);
      return Number(result.changes);
    },

    async removeInteractionsBy(actorId) {
      const result = prepared(db, "DELETE FROM interactions WHERE actor_id = ?").run(actorId);
      return Number(result.changes);
    },

    async removeInteractionsFromHost(host) {
      const hosts = prepared(db, "SELECT DISTINCT actor_host AS host FROM interactions").all() as {
        host: string;
      }[];
      const covered = hostsCovered(
        host,
        hosts.map((h) => h.host),
      );
      const result = prepared(
        db,
        "DELETE FROM interactions WHERE actor_host IN (SELECT value FROM json_each(?))",
      ).run(JSON.stringify(covered));
      return Number(result.changes);
    },

    async setModeration(id, state, audit) {
      return changeAudited(
        db,
        () => prepared(db, "UPDATE interactions SET state = ? WHERE id = ?").run(state, id),
        audit,
      );
    },

    async listInteractions(query) {
      const plan = planList(query);
      if (plan === null) return { items: [], next: null };
      const where: string[] = [];
      const params: SQLInputValue[] = [];
      const filter = (clause: string, ...values: SQLInputValue[]) => {
        where.push(clause);
        params.push(...values);
      };
      if (query.slug !== undefined) filter("slug = ?", query.slug);
      if (plan.kinds !== null) {
        filter(`kind IN (${plan.kinds.map(() => "?").join(", ")})`, ...plan.kinds);
      }
      if (query.state !== undefined) filter("state = ?", query.state);
      if (query.visibility !== undefined) filter("visibility = ?", query.visibility);
      if (query.actorId !== undefined) filter("actor_id = ?", query.actorId);
      const direction = plan.order === "asc" ? "ASC" : "DESC";
      if (plan.after !== null) {
        filter(
          `(published, id) ${plan.order === "asc" ? ">" : "<"} (?, ?)`,
          plan.after.published.getTime(),
          plan.after.id,
        );
      }
      // The statement text depends only on which filters are present: a
      // handful of variants, each compiled once.
      const rows = prepared(
        db,
        `SELECT * FROM interactions
           ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
           ORDER BY published ${direction}, id ${direction} LIMIT ?`,
      ).all(...params, plan.limit + 1) as unknown as InteractionRow<SqliteTime>[];
      return toPage(
        rows.map((row) => toInteraction(sqliteTime, row)),
        plan,
      );
    },

    async countInteractions(slug) {
      const row = prepared(
        db,
        `SELECT
           (SELECT count(*) FROM interactions WHERE slug = ? AND kind = 'reply'
              AND state = 'approved' AND visibility = 'public') AS replies,
           (SELECT count(*) FROM interactions WHERE slug = ? AND kind = 'like') AS likes,
           (SELECT count(*) FROM interactions WHERE slug = ? AND kind = 'announce') AS announces`,
      ).get(slug, slug, slug) as { replies: number; likes: number; announces: number };
      return {
        replies: Number(row.replies),
        likes: Number(row.likes),
        announces: Number(row.announces),
      };
    },

    async countByState(state, kinds) {
      const distinct = [...new Set(kinds)];
      if (distinct.length === 0) return 0;
      const row = prepared(
        db,
        `SELECT count(*) AS n FROM interactions
           WHERE state = ? AND kind IN (${distinct.map(() => "?").join(", ")})`,
      ).get(state, ...distinct) as { n: number };
      return Number(row.n);
    },
  };
}

function insert(db: DatabaseSync, i: Interaction): void {
  prepared(
    db,
    `INSERT INTO interactions (id, kind, actor_id, actor_host, author_name, author_handle,
       author_avatar_url, author_profile_url, slug, in_reply_to, url, language, html,
       visibility, state, published, updated, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    i.id,
    i.kind,
    i.author.actorId,
    hostOf(i.author.actorId),
    i.author.name,
    i.author.handle,
    i.author.avatarUrl,
    i.author.profileUrl,
    i.slug,
    i.inReplyTo,
    i.url,
    i.language,
    i.html,
    i.visibility,
    i.state,
    i.published.getTime(),
    i.updated?.getTime() ?? null,
    i.receivedAt.getTime(),
  );
}

/** A like or a boost: one per actor, kind and article. */
function isReaction(i: Interaction): boolean {
  return i.kind === "like" || i.kind === "announce";
}

/** Whether the actor already liked (or boosted) the article, under any activity id. */
function hasReaction(db: DatabaseSync, i: Interaction): boolean {
  return (
    prepared(
      db,
      "SELECT 1 FROM interactions WHERE actor_id = ? AND kind = ? AND slug IS ? LIMIT 1",
    ).get(i.author.actorId, i.kind, i.slug) !== undefined
  );
}

function usageOf(db: DatabaseSync, actorId: string): ActorUsage {
  const row = prepared(
    db,
    `SELECT count(*) FILTER (WHERE state = 'pending' AND kind IN ('reply', 'mention')) AS pending,
            coalesce(sum(length(CAST(html AS BLOB))), 0) AS bytes
       FROM interactions WHERE actor_id = ?`,
  ).get(actorId) as { pending: number; bytes: number };
  return { pending: Number(row.pending), bytes: Number(row.bytes) };
}

/** Replaces what the author may change, and the state {@link decidePut} chose; `received_at` stays. */
function replace(db: DatabaseSync, i: Interaction, state: ModerationState): void {
  prepared(
    db,
    `UPDATE interactions SET kind = ?, author_name = ?, author_handle = ?,
       author_avatar_url = ?, author_profile_url = ?, slug = ?, in_reply_to = ?, url = ?,
       language = ?, html = ?, visibility = ?, published = ?, updated = ?, state = ?
     WHERE id = ?`,
  ).run(
    i.kind,
    i.author.name,
    i.author.handle,
    i.author.avatarUrl,
    i.author.profileUrl,
    i.slug,
    i.inReplyTo,
    i.url,
    i.language,
    i.html,
    i.visibility,
    i.published.getTime(),
    i.updated?.getTime() ?? null,
    state,
    i.id,
  );
}
