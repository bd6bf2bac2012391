/**
 * Pictures served from the store: the renditions of uploaded pictures
 * (`/pictures/{id}/{file}`) and remote avatars fetched once
 * (`/avatars/{key}`). A rendition's id and name fix its bytes, so it is
 * cached as immutable; an avatar not fetched yet (or refused) is the
 * placeholder, which the browser asks about again.
 */
import type { Context } from "hono";
import { AVATAR_MEDIA_TYPE, AVATAR_PLACEHOLDER } from "../media/avatar-image.ts";
import { isPictureId, renditionFile } from "../media/picture.ts";
import type { RenditionBytes } from "../storage/pictures.ts";

/** Where the bytes come from: the store, and the avatar cache. */
export interface StoredImages {
  rendition(id: string, name: string): Promise<RenditionBytes | null>;
  avatar(key: string): Promise<RenditionBytes | null>;
}

const IMMUTABLE = "public, max-age=31536000, immutable";
const FILE = /^(\d{1,5}|full)\.(webp|jpg|png|gif)$/;

/** What every stored image is answered with besides its bytes. */
function headers(mediaType: string, length: number, etag: string, cache: string) {
  return {
    "Content-Type": mediaType,
    "Content-Length": String(length),
    "Cache-Control": cache,
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
    // Opened on its own, a picture is a document: let it do nothing.
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-site",
  };
}

function matches(c: Context, etag: string): boolean {
  const given = c.req.header("if-none-match");
  return given?.split(",").some((tag) => tag.trim() === etag) === true;
}

/** `/pictures/{id}/{file}`: null (404) for an unknown picture, rendition or a name that is not its own. */
export async function serveRendition(
  c: Context,
  images: StoredImages,
  id: string,
  file: string,
): Promise<Response | null> {
  const m = FILE.exec(file);
  if (!isPictureId(id) || !m?.[1]) return null;
  const rendition = await images.rendition(id, m[1]);
  // One URL per byte string: `full.png` of a JPEG does not exist.
  if (!rendition || renditionFile({ name: m[1], mediaType: rendition.mediaType }) !== file) {
    return null;
  }
  const etag = `"${id}-${m[1]}"`;
  const h = headers(rendition.mediaType, rendition.data.byteLength, etag, IMMUTABLE);
  if (matches(c, etag)) return c.body(null, 304, h);
  return c.body(rendition.data as Uint8Array<ArrayBuffer>, 200, h);
}

/** `/avatars/{key}`: the stored avatar, or the placeholder (asked about again, never cached for long). */
export async function serveAvatar(
  c: Context,
  images: StoredImages,
  key: string,
): Promise<Response> {
  const avatar = await images.avatar(key);
  if (avatar) {
    const etag = `"${key}"`;
    const h = headers(avatar.mediaType, avatar.data.byteLength, etag, IMMUTABLE);
    if (matches(c, etag)) return c.body(null, 304, h);
    return c.body(avatar.data as Uint8Array<ArrayBuffer>, 200, h);
  }
  const etag = '"placeholder"';
  const h = headers(AVATAR_MEDIA_TYPE, AVATAR_PLACEHOLDER.byteLength, etag, "no-cache");
  if (matches(c, etag)) return c.body(null, 304, h);
  return c.body(new Uint8Array(AVATAR_PLACEHOLDER), 200, h);
}
