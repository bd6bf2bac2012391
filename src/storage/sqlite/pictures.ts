import type { DatabaseSync } from "node:sqlite";
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
import { PICTURE_USERS_SQL, type PictureStore } from "../pictures.ts";
import { type SqliteTime, sqliteTime } from "../rows.ts";
import { changeAudited, insertAuditRow } from "./audit.ts";
import { prepared, transaction } from "./open.ts";

/** Pictures and the avatar cache on SQLite. */
export function sqlitePictures(db: DatabaseSync): PictureStore {
  const renditionsOf = (ids: readonly string[]): Map<string, Rendition[]> => {
    const byId = new Map<string, Rendition[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byId;
    const rows = db
      .prepare(
        `SELECT picture_id, name, media_type, width, height FROM picture_renditions
           WHERE picture_id IN (${ids.map(() => "?").join(", ")}) ${RENDITION_ORDER}`,
      )
      .all(...ids) as unknown as RenditionRow[];
    for (const row of rows) byId.get(row.picture_id)?.push(toRendition(row));
    return byId;
  };

  return {
    async putPicture(picture, audit) {
      transaction(db, () => {
        prepared(
          db,
          `INSERT INTO pictures (id, alt, uploaded_by, created_at, format, width, height)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          picture.id,
          picture.alt,
          picture.uploadedBy,
          picture.createdAt.getTime(),
          picture.format,
          picture.width,
          picture.height,
        );
        const insert = prepared(
          db,
          `INSERT INTO picture_renditions (picture_id, name, media_type, width, height, data)
             VALUES (?, ?, ?, ?, ?, ?)`,
        );
        for (const r of picture.renditions) {
          insert.run(picture.id, r.name, r.mediaType, r.width, r.height, r.data);
        }
        if (audit) insertAuditRow(db, audit);
      });
    },

    async getPicture(id) {
      const row = prepared(db, "SELECT * FROM pictures WHERE id = ?").get(id);
      if (row === undefined) return null;
      return toPicture(
        sqliteTime,
        row as unknown as PictureRow<SqliteTime>,
        renditionsOf([id]).get(id) ?? [],
      );
    },

    async deletePicture(id, audit) {
      return transaction(db, () => {
        if (prepared(db, "SELECT 1 FROM pictures WHERE id = ?").get(id) === undefined) {
          return { ok: false, reason: "not-found" } as const;
        }
        const users = prepared(db, PICTURE_USERS_SQL.replace("$1", "?")).all(id) as unknown as {
          id: string;
          title: string;
        }[];
        if (users.length > 0) {
          const articles = users.map((u) => ({ id: u.id, title: u.title }));
          return { ok: false, reason: "in-use", articles } as const;
        }
        prepared(db, "DELETE FROM picture_renditions WHERE picture_id = ?").run(id);
        prepared(db, "DELETE FROM pictures WHERE id = ?").run(id);
        insertAuditRow(db, audit);
        return { ok: true } as const;
      });
    },

    async getRendition(id, name) {
      const row = prepared(
        db,
        "SELECT media_type, data FROM picture_renditions WHERE picture_id = ? AND name = ?",
      ).get(id, name) as { media_type: string; data: Uint8Array } | undefined;
      return row === undefined ? null : { mediaType: row.media_type, data: row.data };
    },

    async listPictures(options) {
      const cursor = decodeCursor(options.cursor);
      if (cursor === false) return { items: [], next: null };
      const limit = Math.max(1, Math.floor(options.limit));
      // Newest first; one row more than asked tells whether there is a next page.
      const rows = (cursor === null
        ? prepared(db, "SELECT * FROM pictures ORDER BY created_at DESC, id DESC LIMIT ?").all(
            limit + 1,
          )
        : prepared(
            db,
            `SELECT * FROM pictures
               WHERE created_at < ? OR (created_at = ? AND id < ?)
               ORDER BY created_at DESC, id DESC LIMIT ?`,
          ).all(
            cursor.createdAt,
            cursor.createdAt,
            cursor.actorId,
            limit + 1,
          )) as unknown as PictureRow<SqliteTime>[];
      const page = rows.slice(0, limit);
      const renditions = renditionsOf(page.map((r) => r.id));
      const items = page.map((row) => toPicture(sqliteTime, row, renditions.get(row.id) ?? []));
      return pageOf(items, rows.length > limit, (last) => ({
        createdAt: last.createdAt.getTime(),
        actorId: last.id,
      }));
    },

    async setPictureAlt(id, alt, audit) {
      return changeAudited(
        db,
        () => prepared(db, "UPDATE pictures SET alt = ? WHERE id = ?").run(alt, id),
        audit,
      );
    },

    async claimAvatar(key, url, now, retryAfterMs) {
      const row = prepared(
        db,
        `INSERT INTO avatars (key, url, state, at) VALUES (?, ?, 'pending', ?)
           ON CONFLICT (key) DO UPDATE SET state = 'pending', at = excluded.at, url = excluded.url
           WHERE avatars.state <> 'ok' AND avatars.at <= ?
           RETURNING key`,
      ).get(key, url, now.getTime(), now.getTime() - retryAfterMs);
      return row !== undefined;
    },

    async finishAvatar(key, outcome, now) {
      prepared(
        db,
        "UPDATE avatars SET state = ?, at = ?, media_type = ?, data = ? WHERE key = ?",
      ).run(
        outcome ? "ok" : "failed",
        now.getTime(),
        outcome?.mediaType ?? null,
        outcome?.data ?? null,
        key,
      );
    },

    async getAvatar(key) {
      const row = prepared(db, "SELECT * FROM avatars WHERE key = ?").get(key);
      return row === undefined
        ? null
        : toAvatar(sqliteTime, row as unknown as AvatarRow<SqliteTime>);
    },
  };
}
