/**
 * Turns a title into an ASCII URL slug: Vietnamese letters lose their tones and
 * diacritics (`đ` becomes `d`, which NFD does not decompose), everything else
 * that is not a letter or digit becomes a single `-`.
 *
 * `slugify("Cửa Lò tham dự hội nghị")` is `"cua-lo-tham-du-hoi-nghi"`.
 */
export function slugify(title: string): string {
  return title
    .replace(/[đĐ]/g, "d")
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** What a slug must look like: lowercase ASCII words joined by single hyphens. */
export const SLUG_PATTERN: RegExp = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
