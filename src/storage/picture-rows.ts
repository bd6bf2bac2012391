/** Rows of pictures, their renditions and cached avatars, read back the same on both backends. */
import type { Picture, PictureFormat, Rendition } from "../media/picture.ts";
import type { Avatar, AvatarState } from "./pictures.ts";
import type { ReadTime } from "./rows.ts";

export interface PictureRow<T> {
  id: string;
  alt: string;
  uploaded_by: string;
  created_at: T;
  format: string;
  width: number;
  height: number;
}

export interface RenditionRow {
  picture_id: string;
  name: string;
  media_type: string;
  width: number;
  height: number;
}

export interface AvatarRow<T> {
  key: string;
  url: string;
  state: string;
  at: T;
  media_type: string | null;
  /** A Buffer on PostgreSQL, which the record does not hand out. */
  data: Uint8Array | null;
}

/** Narrowest first, `full` last (it is never narrower than another rendition). */
export const RENDITION_ORDER = "ORDER BY width, name = 'full'";

export function toRendition(row: RenditionRow): Rendition {
  return {
    name: row.name,
    width: Number(row.width),
    height: Number(row.height),
    mediaType: row.media_type,
  };
}

export function toPicture<T>(
  time: ReadTime<T>,
  row: PictureRow<T>,
  renditions: Rendition[],
): Picture {
  return {
    id: row.id,
    alt: row.alt,
    uploadedBy: row.uploaded_by,
    createdAt: time(row.created_at),
    format: row.format as PictureFormat,
    width: Number(row.width),
    height: Number(row.height),
    renditions,
  };
}

export function toAvatar<T>(time: ReadTime<T>, row: AvatarRow<T>): Avatar {
  return {
    key: row.key,
    url: row.url,
    state: row.state as AvatarState,
    at: time(row.at),
    mediaType: row.media_type,
    data: row.data && (Buffer.isBuffer(row.data) ? new Uint8Array(row.data) : row.data),
  };
}
