/**
 * Uploaded pictures and the cache of remote avatars, in the database so that
 * every web process sees them in scale-out mode. Part of {@link Store}.
 */
import type { Picture } from "../media/picture.ts";
import type { AuditEntry } from "./audit.ts";
import type { Page } from "./cursor.ts";

/** A picture with the bytes of each rendition, as processed from an upload. */
export interface NewPicture extends Omit<Picture, "renditions"> {
  renditions: (Picture["renditions"][number] & { data: Uint8Array })[];
}

/** One rendition's bytes. */
export interface RenditionBytes {
  mediaType: string;
  data: Uint8Array;
}

/** A remote avatar's state: fetched (`ok`, with its bytes), being fetched, or refused. */
export type AvatarState = "pending" | "ok" | "failed";

export interface Avatar {
  /** The key in its URL: a hash of the remote URL. */
  key: string;
  /** The remote URL it was fetched from. */
  url: string;
  state: AvatarState;
  /** When it was claimed for fetching, fetched, or refused. */
  at: Date;
  /** For `ok`: the re-encoded picture. */
  mediaType: string | null;
  data: Uint8Array | null;
}

/** What {@link PictureStore.deletePicture} did. */
export type PictureDeletion =
  | { ok: true }
  | { ok: false; reason: "not-found" }
  /** Newsroom articles whose latest or published revision shows it: nothing deleted. */
  | { ok: false; reason: "in-use"; articles: { id: string; title: string }[] };

/**
 * Articles whose latest or published revision names the picture (SQL shared
 * by both backends; one parameter, the picture's id).
 */
export const PICTURE_USERS_SQL = `
  SELECT DISTINCT a.id, a.title FROM articles a
    JOIN article_revisions r ON r.article_id = a.id
      AND (r.number = a.latest_revision OR r.number = a.published_revision)
  WHERE r.image_id = $1 ORDER BY a.title, a.id LIMIT 10`;

export interface PictureStore {
  /**
   * Stores a processed picture with its renditions, in one transaction, with
   * `audit` (the upload's record) in it when given.
   */
  putPicture(picture: NewPicture, audit?: AuditEntry): Promise<void>;
  /** The picture (without bytes), or null. */
  getPicture(id: string): Promise<Picture | null>;
  /** One rendition's bytes, or null when the picture or the rendition does not exist. */
  getRendition(id: string, name: string): Promise<RenditionBytes | null>;
  /** Pictures, newest first; `cursor` is the previous page's `next`. */
  listPictures(options: { cursor?: string | null; limit: number }): Promise<Page<Picture>>;
  /**
   * Changes the alt text. Returns false when there is no such picture. With
   * `audit`, its record is written in the same transaction when the text is.
   */
  setPictureAlt(id: string, alt: string, audit?: AuditEntry): Promise<boolean>;
  /**
   * Deletes the picture and every rendition's bytes, with `audit` in the same
   * transaction; refused (nothing written) while a newsroom article uses it.
   */
  deletePicture(id: string, audit: AuditEntry): Promise<PictureDeletion>;

  /**
   * Claims the avatar at `url` (under `key`) for fetching: true when this
   * caller should fetch it now (never seen, or refused or left pending
   * longer than `retryAfterMs` before `now`); false when another process
   * has it, or it is stored. Atomic: of racing callers one gets true.
   */
  claimAvatar(key: string, url: string, now: Date, retryAfterMs: number): Promise<boolean>;
  /** Records the outcome of a claimed fetch: the bytes, or a refusal (`data` null). */
  finishAvatar(
    key: string,
    outcome: { mediaType: string; data: Uint8Array } | null,
    now: Date,
  ): Promise<void>;
  getAvatar(key: string): Promise<Avatar | null>;
}
