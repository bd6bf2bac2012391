/**
 * Checks on values a peer supplied (actor ids, avatars, languages) before a
 * page uses them as a link, an image or an attribute: escaping makes them
 * harmless as text, these make them meaningful where more than text is needed.
 */

/** `url` when it is an http(s) URL: a peer's `javascript:` never becomes a link or an image. */
export function httpUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const { protocol } = new URL(url);
    return protocol === "http:" || protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

/** BCP 47-shaped: anything else would make an invalid `lang` (an accessibility fault). */
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** `language` when it can be a `lang` attribute. */
export function langAttribute(language: string | null | undefined): string | undefined {
  return language && LANGUAGE_TAG.test(language) ? language : undefined;
}
