/**
 * A remote avatar, checked and re-encoded: one of the four picture formats
 * by its bytes, a bounded number of pixels, then a small square WebP made
 * from the pixels alone (nothing the sender put in the file survives).
 */
import { sniffFormat } from "./process.ts";
import { loadSharp } from "./sharp.ts";

/** Width and height of a stored avatar: twice the 48 px a page shows, for sharp screens. */
export const AVATAR_SIZE = 96;
/** The most pixels decoded from a remote avatar (Mastodon's are 400 × 400). */
export const AVATAR_MAX_PIXELS = 16_000_000;
export const AVATAR_MEDIA_TYPE = "image/webp";

/** Shown while an avatar is not fetched yet, or when it was refused: a plain grey square (WebP). */
export const AVATAR_PLACEHOLDER = Buffer.from(
  "UklGRj4AAABXRUJQVlA4IDIAAABQAwCdASowADAAPtForlGoJiQio4gBABoJaQDT2An82sQH4AD+6wbcqNfLG7a/AAAAAA==",
  "base64",
);

/** The avatar as a square WebP, or why it was refused. */
export async function reencodeAvatar(
  bytes: Uint8Array,
): Promise<{ ok: true; data: Uint8Array } | { ok: false; reason: string }> {
  const format = sniffFormat(bytes);
  if (format === null) return { ok: false, reason: "not a JPEG, PNG, WebP or GIF" };
  const sharp = await loadSharp();
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    if (meta.format !== format || !meta.width || !meta.height) {
      return { ok: false, reason: `bytes say ${format}, the decoder ${meta.format}` };
    }
    if (meta.width * meta.height > AVATAR_MAX_PIXELS) {
      return { ok: false, reason: `${meta.width} × ${meta.height} pixels is too many` };
    }
    const data = await sharp(bytes, { limitInputPixels: AVATAR_MAX_PIXELS, failOn: "error" })
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover" })
      .webp({ quality: 75 })
      .toBuffer();
    return { ok: true, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
