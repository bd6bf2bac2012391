import { realpath, stat } from "node:fs/promises";
import { extname, join, posix } from "node:path";
import { isInside } from "./files.ts";

/** Image types we accept, by extension. SVG is left out: it can carry scripts. */
const IMAGE_TYPES: Record<string, string> = {
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
};

/** The image MIME type for a file name or URL path, if it is one we accept. */
export function imageMediaType(name: string): string | undefined {
  return IMAGE_TYPES[extname(name).toLowerCase()];
}

const EXTENSIONS = Object.keys(IMAGE_TYPES).join(", ");

export type MediaResult =
  | { ok: true; url: string; mediaType: string; length?: number }
  | { ok: false; reason: string };

/**
 * Resolves an image reference from front matter or site.yml: an absolute
 * http(s) URL, or a path relative to the content dir naming an existing image
 * file, which becomes `/media/<path>` (percent-encoded per segment).
 */
export async function resolveImage(root: string, value: string): Promise<MediaResult> {
  const ref = value.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) {
    let url: URL;
    try {
      url = new URL(ref);
    } catch {
      return { ok: false, reason: `"${ref}" is not a valid URL` };
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return { ok: false, reason: `"${ref}" must be an http:// or https:// URL` };
    }
    const mediaType = imageMediaType(url.pathname);
    if (!mediaType) {
      return {
        ok: false,
        reason: `cannot tell the image type of "${ref}": use a URL ending in ${EXTENSIONS}`,
      };
    }
    return { ok: true, url: url.href, mediaType };
  }
  if (ref === "" || ref.startsWith("/") || ref.includes("\\")) {
    return {
      ok: false,
      reason: `"${ref}" must be a URL or a path relative to the content directory, e.g. images/photo.jpg`,
    };
  }
  const rel = posix.normalize(ref);
  if (rel === ".." || rel.startsWith("../")) {
    return { ok: false, reason: `"${ref}" points outside the content directory` };
  }
  // The media route never serves hidden files; refuse them here so the link works.
  if (rel.split("/").some((s) => s.startsWith("."))) {
    return { ok: false, reason: `"${ref}" is a hidden file, which is not served` };
  }
  const mediaType = imageMediaType(rel);
  if (!mediaType) return { ok: false, reason: `"${ref}" is not an image file (${EXTENSIONS})` };
  let length: number;
  try {
    const real = await realpath(join(root, rel));
    if (!isInside(root, real))
      return { ok: false, reason: `"${ref}" points outside the content directory` };
    const info = await stat(real);
    if (!info.isFile()) return { ok: false, reason: `"${ref}" is not a file` };
    length = info.size;
  } catch {
    return { ok: false, reason: `"${ref}" does not exist in the content directory` };
  }
  const url = `/media/${rel.split("/").map(encodeURIComponent).join("/")}`;
  return { ok: true, url, mediaType, length };
}
