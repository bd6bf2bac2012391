/**
 * How deeply a JSON text nests, found without parsing it: a linear scan that
 * stops at the first bracket past the limit. Every walker of a stranger's JSON
 * (ours, Fedify's JSON-LD expansion, jsonld's) recurses per level, so a body
 * nested 100,000 deep would overflow the stack; checking the text before it
 * is parsed bounds them all at once.
 */

/** The deepest nesting of objects and arrays any stranger's document may have. */
export const MAX_JSON_DEPTH = 64;

/** True if `text` nests objects/arrays deeper than `max` (strings are skipped). */
export function nestsDeeperThan(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}
