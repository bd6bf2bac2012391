import { parseDocument } from "yaml";

export type FrontMatterResult =
  | { ok: true; data: Record<string, unknown>; body: string }
  | { ok: false; reason: string };

/**
 * Parses YAML text that must be a mapping (front matter, site.yml).
 * `lineOffset` is how many file lines come before the YAML, so error line
 * numbers point into the file the editor has open.
 */
export function parseYamlMapping(
  yaml: string,
  lineOffset = 0,
): { ok: true; data: Record<string, unknown> } | { ok: false; reason: string } {
  // YAML 1.2 core schema: dates stay strings, so we check them ourselves.
  const doc = parseDocument(yaml, { prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const pos = error.pos[0];
    const line = pos >= 0 ? yaml.slice(0, pos).split("\n").length + lineOffset : undefined;
    const where = line === undefined ? "" : ` at line ${line}`;
    return { ok: false, reason: `invalid YAML${where}: ${error.message.split("\n")[0]}` };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    return { ok: false, reason: `invalid YAML: ${(e as Error).message}` };
  }
  if (value === null || value === undefined) return { ok: true, data: {} };
  if (typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, reason: "must be a YAML mapping of `key: value` lines" };
  }
  return { ok: true, data: value as Record<string, unknown> };
}

/**
 * Splits an article into its YAML front matter (between `---` lines at the
 * very top) and its Markdown body.
 */
export function splitFrontMatter(text: string): FrontMatterResult {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if ((lines[0] ?? "").trimEnd() !== "---") {
    return { ok: false, reason: "has no front matter: the first line must be `---`" };
  }
  const end = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (end < 0) return { ok: false, reason: "front matter is not closed by a `---` line" };
  const parsed = parseYamlMapping(lines.slice(1, end).join("\n"), 1);
  if (!parsed.ok) return parsed;
  const body = lines
    .slice(end + 1)
    .join("\n")
    .replace(/^\s*\n/, "");
  return { ok: true, data: parsed.data, body };
}
