/**
 * Turns an upload into a picture's renditions with sharp: the type told by
 * the bytes (never the name or the declared type), decoding bounded in
 * pixels, turned upright by its EXIF orientation, then re-encoded from the
 * pixels alone, so no EXIF, XMP, ICC or IPTC (a phone's GPS position, the
 * camera's make) and nothing appended to the file (a polyglot's payload)
 * reaches a served byte. sharp runs on libuv's thread pool, off the event loop.
 */
import type { Metadata, OutputInfo } from "sharp";
import {
  FULL,
  FULL_MAX_WIDTH,
  type PictureFormat,
  RENDITION_WIDTHS,
  type Rendition,
} from "./picture.ts";
import { loadSharp } from "./sharp.ts";

/** The largest upload accepted. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/**
 * The most pixels decoded (64 MP, more than a 48 MP phone photo): a PNG of a
 * few kilobytes can declare 100,000 × 100,000 pixels (a decompression bomb).
 */
export const MAX_INPUT_PIXELS = 64_000_000;

/** A processed upload, ready for `store.putPicture` (with an id, alt text and uploader). */
export interface ProcessedPicture {
  format: PictureFormat;
  width: number;
  height: number;
  renditions: (Rendition & { data: Uint8Array })[];
}

export type ProcessResult = { ok: true; picture: ProcessedPicture } | { ok: false; reason: string };

/** Limits for {@link processPicture}; the defaults are the contract's. */
export interface ProcessLimits {
  maxBytes?: number;
  maxPixels?: number;
}

const MB = 1024 * 1024;
const ACCEPTED = "JPEG, PNG, WebP hoặc GIF";

/**
 * The format the first bytes announce, or null. Checked before sharp sees the
 * bytes, so only these four decoders ever parse an upload (sharp would also
 * read SVG, PDF, TIFF, HEIF…).
 */
export function sniffFormat(bytes: Uint8Array): PictureFormat | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return "jpeg";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (
    starts(0x47, 0x49, 0x46, 0x38) &&
    (bytes[4] === 0x37 || bytes[4] === 0x39) &&
    bytes[5] === 0x61
  )
    return "gif";
  const ascii = (from: number, to: number) =>
    Buffer.from(bytes.subarray(from, to)).toString("latin1");
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  return null;
}

/** Why bytes that are not one of the four formats are refused, in the newsroom's words. */
function notAPicture(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 512)).toString("utf8").toLowerCase();
  if (head.includes("<svg") || head.includes("<?xml")) {
    return `Không nhận ảnh SVG: SVG có thể chứa mã chạy được trên trang. Xin dùng ảnh ${ACCEPTED}. Không có gì được lưu.`;
  }
  return `Tệp này không phải là ảnh ${ACCEPTED} (đã kiểm tra nội dung tệp, không theo tên tệp). Không có gì được lưu.`;
}

/** Checks and processes an upload; a refusal says why in Vietnamese, for the staff member. */
export async function processPicture(
  bytes: Uint8Array,
  limits: ProcessLimits = {},
): Promise<ProcessResult> {
  const maxBytes = limits.maxBytes ?? MAX_UPLOAD_BYTES;
  const maxPixels = limits.maxPixels ?? MAX_INPUT_PIXELS;
  if (bytes.byteLength === 0) return { ok: false, reason: "Chưa chọn tệp ảnh, hoặc tệp rỗng." };
  if (bytes.byteLength > maxBytes) {
    return {
      ok: false,
      reason: `Tệp lớn hơn ${Math.round(maxBytes / MB)} MB. Xin chọn ảnh nhỏ hơn. Không có gì được lưu.`,
    };
  }
  const sniffed = sniffFormat(bytes);
  if (sniffed === null) return { ok: false, reason: notAPicture(bytes) };
  const options = { limitInputPixels: maxPixels, failOn: "error" as const };
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    // The header alone (no pixels are decoded here), so a bomb is told apart
    // below with its size in the message; decoding is bounded by `options`.
    meta = await sharp(bytes, { ...options, limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, reason: notAPicture(bytes) };
  }
  if (meta.format !== sniffed || !meta.width || !meta.height) {
    return { ok: false, reason: notAPicture(bytes) };
  }
  if (meta.width * meta.height > maxPixels) {
    const mp = (meta.width * meta.height) / 1e6;
    return {
      ok: false,
      reason: `Ảnh quá lớn: ${meta.width} × ${meta.height} điểm ảnh (${mp.toFixed(0)} megapixel; tối đa ${Math.round(maxPixels / 1e6)} megapixel). Không có gì được lưu.`,
    };
  }
  // Orientations 5–8 turn the picture a quarter: width and height swap.
  const turned = (meta.orientation ?? 1) >= 5;
  const width = turned ? meta.height : meta.width;
  const height = turned ? meta.width : meta.height;
  try {
    // `rotate()` without an angle applies the EXIF orientation; output carries
    // no metadata unless asked (`keepMetadata`/`withMetadata`, never called).
    const upright = sharp(bytes, options).rotate();
    const sized = RENDITION_WIDTHS.filter((w) => w < width).map(async (w) => {
      const out = await upright
        .clone()
        .resize({ width: w })
        .webp({ quality: 80 })
        .toBuffer({ resolveWithObject: true });
      return rendition(String(w), "image/webp", out);
    });
    const full = upright.clone().resize({ width: FULL_MAX_WIDTH, withoutEnlargement: true });
    // A GIF is flattened to its first frame (sharp reads one page) and served as PNG.
    const encoded =
      sniffed === "jpeg"
        ? full.jpeg({ quality: 85, mozjpeg: true })
        : sniffed === "webp"
          ? full.webp({ quality: 85 })
          : full.png({ compressionLevel: 9 });
    const fullType =
      sniffed === "jpeg" ? "image/jpeg" : sniffed === "webp" ? "image/webp" : "image/png";
    const renditions = await Promise.all([
      ...sized,
      encoded.toBuffer({ resolveWithObject: true }).then((out) => rendition(FULL, fullType, out)),
    ]);
    return { ok: true, picture: { format: sniffed, width, height, renditions } };
  } catch {
    return {
      ok: false,
      reason: `Không đọc được ảnh này (tệp hỏng hoặc không đầy đủ). Xin thử lại với ảnh ${ACCEPTED}. Không có gì được lưu.`,
    };
  }
}

function rendition(
  name: string,
  mediaType: string,
  out: { data: Buffer; info: OutputInfo },
): Rendition & { data: Uint8Array } {
  return {
    name,
    mediaType,
    width: out.info.width,
    height: out.info.height,
    data: new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength),
  };
}
