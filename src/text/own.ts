/**
 * A flat copy sharing no memory with where the string came from. V8 keeps a
 * whole source string alive for any slice of it (a title sliced out of the
 * YAML holds the file's text), and a renderer's output (marked's, the
 * sanitizer's) is a rope of pieces of the body: held for every article of a
 * large archive, that is several times the text itself. JSON round-trips any
 * string exactly, lone surrogates included.
 */
export function own(value: string): string {
  return JSON.parse(JSON.stringify(value)) as string;
}
