/**
 * Pictures uploaded in the newsroom: what is known of one, and how a page or
 * a Note names it. Pure (no storage, no sharp): the page renderers and the
 * Note mapper call {@link pictureImage} with a {@link Picture} read from the
 * store (`store.getPicture(id)`).
 *
 * Every picture is served as renditions at fixed widths ({@link RENDITION_WIDTHS},
 * never wider than the original) in WebP, plus `full`: the picture at its own
 * width capped at {@link FULL_MAX_WIDTH}, in its original format (a GIF is
 * flattened to its first frame and served as PNG). The id and the rendition's
 * name fix its bytes forever, so their URLs are cached as immutable.
 */
import type { Urls } from "../urls.ts";

/** The widths pictures are offered at in `srcset` (a width at or above the original's is left out). */
export const RENDITION_WIDTHS: readonly number[] = [480, 960, 1600];
/** The largest rendition's width at most: a 6000-pixel photo is not served as such. */
export const FULL_MAX_WIDTH = 2048;

/** What an upload may be, told by its bytes (sharp's `metadata().format`). */
export type PictureFormat = "jpeg" | "png" | "webp" | "gif";

/** One served size of a picture. `name` is the width as text (`"480"`) or `"full"`. */
export interface Rendition {
  name: string;
  width: number;
  height: number;
  /** `image/webp`, or the original's type for `full` (`image/png` for a GIF). */
  mediaType: string;
}

/** An uploaded picture, without its bytes. */
export interface Picture {
  /** 16 lowercase hex digits; fixed for the picture's life. */
  id: string;
  /** The alt text (plain text, may be empty: then the picture cannot go in an article). */
  alt: string;
  /** The staff member who uploaded it. */
  uploadedBy: string;
  createdAt: Date;
  /** The format the upload was, by its bytes. */
  format: PictureFormat;
  /** The upload's size after turning it by its EXIF orientation. */
  width: number;
  height: number;
  /** Renditions, narrowest first; the last is always `full`. */
  renditions: Rendition[];
}

/** A picture as an `<img>` (and as a Note's `Image` attachment: `src`, `mediaType`, `width`, `height`, `alt` as `name`). */
export interface PictureImage {
  /** Absolute URL of the `full` rendition. */
  src: string;
  /** Every rendition as `URL <width>w`, narrowest first. */
  srcset: string;
  /** How wide the picture shows in an article: the column, or the screen on a phone. */
  sizes: string;
  /** Of the `full` rendition. */
  width: number;
  height: number;
  mediaType: string;
  alt: string;
}

/** The name of the largest rendition. */
export const FULL = "full";

/** The `sizes` of an article's picture: the page's column is 42rem wide at most. */
export const ARTICLE_SIZES = "(min-width: 44rem) 42rem, 100vw";

const ID = /^[0-9a-f]{16}$/;

/** Whether `value` can be a picture id (a form field or a path segment checked before any lookup). */
export function isPictureId(value: unknown): value is string {
  return typeof value === "string" && ID.test(value);
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  "image/webp": "webp",
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/gif": "gif",
};

/** The file name of a rendition in its URL: `480.webp`, `full.jpg`. */
export function renditionFile(rendition: Pick<Rendition, "name" | "mediaType">): string {
  return `${rendition.name}.${EXTENSIONS[rendition.mediaType] ?? "bin"}`;
}

/** The `full` rendition (the last one). */
export function fullRendition(picture: Pick<Picture, "renditions">): Rendition {
  const full = picture.renditions.find((r) => r.name === FULL) ?? picture.renditions.at(-1);
  if (!full) throw new Error("a picture has at least its full rendition");
  return full;
}

/**
 * A picture as a page shows it (`<img src srcset sizes width height alt>`)
 * and as a Note carries it (`Image` with `url` = `src`, `name` = `alt`,
 * `mediaType`, `width`, `height`).
 */
export function pictureImage(
  picture: Picture,
  urls: Pick<Urls, "picture">,
  sizes: string = ARTICLE_SIZES,
): PictureImage {
  const full = fullRendition(picture);
  const url = (r: Rendition) => urls.picture(picture.id, renditionFile(r));
  return {
    src: url(full),
    srcset: picture.renditions.map((r) => `${url(r)} ${r.width}w`).join(", "),
    sizes,
    width: full.width,
    height: full.height,
    mediaType: full.mediaType,
    alt: picture.alt,
  };
}
