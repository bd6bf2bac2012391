/**
 * A readable difference between two revisions: field by field, the body line
 * by line and short fields word by word (jsdiff), only the fields that changed.
 */
import { diffLines, diffWordsWithSpace } from "diff";
import type { ArticleRevision } from "../../storage/articles.ts";
import type { DiffPart } from "./types.ts";

/** A revision's fields as text, in the form's order and names. */
function asText(r: ArticleRevision): [string, string][] {
  return [
    ["title", r.title],
    ["summary", r.summary],
    ["tags", r.tags.join(", ")],
    ["author", r.authors.join(", ")],
    ["language", r.language],
    ["published", r.published ? r.published.toISOString() : ""],
    ["slug", r.slug],
    ["pinned", r.pinned ? "✓" : ""],
    ["image", r.imageId ?? ""],
    ["image_alt", r.imageAlt],
    ["body", r.body],
  ];
}

export function diffRevisions(from: ArticleRevision, to: ArticleRevision): DiffPart[] {
  const before = new Map(asText(from));
  const parts: DiffPart[] = [];
  for (const [field, after] of asText(to)) {
    const was = before.get(field) ?? "";
    if (was === after) continue;
    const changes = field === "body" ? diffLines(was, after) : diffWordsWithSpace(was, after);
    for (const c of changes) {
      parts.push({
        field,
        kind: c.added ? "added" : c.removed ? "removed" : "same",
        text: c.value,
      });
    }
  }
  return parts;
}
