import type { Sql } from "postgres";
import type { Rendition } from "../../media/picture.ts";
import { decodeCursor, pageOf } from "../cursor.ts";
import {
  type AvatarRow,
  type PictureRow,
  RENDITION_ORDER,
  type RenditionRow,
  toAvatar,
  toPicture,
  toRendition,
} from "../picture-rows.ts";
import { PICTURE_USERS_SQL, type PictureDeletion, type PictureStore } from "../pictures.ts";
import { type PostgresTime, postgresTime } from "../rows.ts";
import { changeAudited, insertAuditRow } from "./audit.ts";

/** Pictures and the avatar cache on PostgreSQL. */
export function postgresPictures(sql: Sql): PictureStore {
  const renditionsOf = async (ids: readonly string[]): Promise<Map<string, Rendition[]>> => {
    const byId = new Map<string, Rendition[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byId;
    const rows = await sql<RenditionRow[]>`
      SELECT picture_id, name, media_type, width, height FROM picture_renditions
      WHERE picture_id IN ${sql(ids)} ${sql.unsafe(RENDITION_ORDER)}`;
    for (const row of rows) byId.get(row.picture_id)?.push(toRendition(row));
    return byId;
  };

  return {
    async deletePicture(id, audit) {
      return await sql.begin(async (tx): Promise<PictureDeletion> => {
        // Locked, so an article saved meanwhile cannot start using it unseen.
        const found = await tx`SELECT id FROM pictures WHERE id = ${id} FOR UPDATE`;
        if (found.length === 0) return { ok: false, reason: "not-found" };
        const users = await tx.unsafe<{ id: string; title: string }[]>(PICTURE_USERS_SQL, [id]);
        if (users.length > 0) {
          const articles = users.map((u) => ({ id: u.id, title: u.title }));
          return { ok: false, reason: "in-use", articles };
        }
        await tx`DELETE FROM picture_renditions WHERE picture_id = ${id}`;
        await tx`DELETE FROM pictures WHERE id = ${id}`;
        await insertAuditRow(tx, audit);
        return { ok: true };
      });
    },

    async putPicture(picture, audit) {
      await sql.begin(async (tx) => {
        await tx`
          INSERT INTO pictures (id, alt, uploaded_by, created_at, format, width, height)
          VALUES (${picture.id}, ${picture.alt}, ${picture.uploadedBy}, ${picture.createdAt},
                  ${picture.format}, ${picture.width}, ${picture.height})`;
        for (const r of picture.renditions) {
          await tx`
            INSERT INTO picture_renditions (picture_id, name, media_type, width, height, data)
            VALUES (${picture.id}, ${r.name}, ${r.mediaType}, ${r.width}, ${r.height},
                    ${Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength)})`;
        }
        if (audit) await insertAuditRow(tx, audit);
      });
    },

    async getPicture(id) {
      const rows = await sql<PictureRow<PostgresTime>[]>`SELECT * FROM pictures WHERE id = ${id}`;
      const row = rows[0];
      if (!row) return null;
      return toPicture(postgresTime, row, (await renditionsOf([id])).get(id) ?? []);
    },

    async getRendition(id, name) {
      const rows = await sql<{ media_type: string; data: Buffer }[]>`
        SELECT media_type, data FROM picture_renditions
        WHERE picture_id = ${id} AND name = ${name}`;
      const row = rows[0];
      return row ? { mediaType: row.media_type, data: new Uint8Array(row.data) } : null;
    },

    async listPictures(options) {
      const cursor = decodeCursor(options.cursor);
      if (cursor === false) return { items: [], next: null };
      const limit = Math.max(1, Math.floor(options.limit));
      // Newest first; one row more than asked tells whether there is a next page.
      const rows =
        cursor === null
          ? await sql<PictureRow<PostgresTime>[]>`
              SELECT * FROM pictures ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`
          : await sql<PictureRow<PostgresTime>[]>`
              SELECT * FROM pictures
              WHERE (created_at, id) < (${new Date(cursor.createdAt)}, ${cursor.actorId})
              ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`;
      const page = rows.slice(0, limit);
      const renditions = await renditionsOf(page.map((r) => r.id));
      const items = page.map((row) => toPicture(postgresTime, row, renditions.get(row.id) ?? []));
      return pageOf(items, rows.length > limit, (last) => ({
        createdAt: last.createdAt.getTime(),
        actorId: last.id,
      }));
    },

    setPictureAlt: (id, alt, audit) =>
      changeAudited(sql, (tx) => tx`UPDATE pictures SET alt = ${alt} WHERE id = ${id}`, audit),

    async claimAvatar(key, url, now, retryAfterMs) {
      const rows = await sql`
        INSERT INTO avatars (key, url, state, at) VALUES (${key}, ${url}, 'pending', ${now})
        ON CONFLICT (key) DO UPDATE SET state = 'pending', at = excluded.at, url = excluded.url
        WHERE avatars.state <> 'ok' AND avatars.at <= ${new Date(now.getTime() - retryAfterMs)}
        RETURNING key`;
      return rows.length > 0;
    },

    async finishAvatar(key, outcome, now) {
      const data = outcome
        ? Buffer.from(outcome.data.buffer, outcome.data.byteOffset, outcome.data.byteLength)
        : null;
      await sql`
        UPDATE avatars SET state = ${outcome ? "ok" : "failed"}, at = ${now},
          media_type = ${outcome?.mediaType ?? null}, data = ${data}
        WHERE key = ${key}`;
    },

    async getAvatar(key) {
      const rows = await sql<AvatarRow<PostgresTime>[]>`SELECT * FROM avatars WHERE key = ${key}`;
      const row = rows[0];
      return row ? toAvatar(postgresTime, row) : null;
    },
  };
}
