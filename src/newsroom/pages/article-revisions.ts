/**
 * `/admin/articles/{id}/revisions`: every saved revision with who saved it
 * and when, a diff between any two, and `restore` for editors. Additions and
 * removals are `<ins>`/`<del>` with words a screen reader says and marks
 * that do not rely on colour.
 */
import { html } from "hono/html";
import type { Fragment } from "../../pages/format.ts";
import { EVENT_LABELS, type RevisionEvent } from "./article-labels.ts";
import { postForm } from "./forms.ts";
import { timeTag } from "./labels.ts";
import { renderNewsroomLayout, type StaffPageInput } from "./layout.ts";
import { ARTICLE_PATHS } from "./paths.ts";

export interface RevisionRow {
  /** The revision's id (as the form's `revision` carries it). */
  id: string;
  /** Its number for people: 1, 2, 3… */
  number: number;
  savedBy: string;
  savedAt: Date;
  /** What happened to it since (submitted, approved, published…), with who and when. */
  events: readonly { event: RevisionEvent; by: string; at: Date }[];
  /** Whether it is the latest (restoring it would change nothing). */
  latest: boolean;
}

/** One piece of a diff: text kept, added or removed. */
export interface DiffPart {
  value: string;
  added?: boolean;
  removed?: boolean;
}

export interface RevisionsPageInput extends StaffPageInput {
  id: string;
  title: string;
  /** Newest first. */
  revisions: readonly RevisionRow[];
  /** The two chosen for the diff, and the diff from the older to the newer. */
  compared?: { from: string; to: string; parts: readonly DiffPart[] };
  canRestore: boolean;
  timeZone: string;
}

/** Renders the revisions page. */
export function renderRevisions(input: RevisionsPageInput): string {
  const { revisions } = input;
  const choose = (name: "from" | "to", label: string, fallback: string | undefined) => {
    const chosen = input.compared?.[name] ?? fallback;
    return html`<div><label for="${name}">${label}</label>
<select id="${name}" name="${name}">
${revisions.map((r) => html`<option value="${r.id}"${r.id === chosen ? " selected" : ""}>Phiên bản ${r.number} · ${r.savedBy}</option>`)}
</select></div>`;
  };
  const body = html`<p><a href="${ARTICLE_PATHS.edit(input.id)}">← Về bài viết</a></p>
<ol class="items" reversed>
${revisions.map((r) => revisionItem(r, input))}</ol>
${
  revisions.length > 1
    ? html`<h2 id="compare">So sánh hai phiên bản</h2>
<form method="get" action="${ARTICLE_PATHS.revisions(input.id)}#diff" class="filters">
${choose("from", "Phiên bản cũ hơn", revisions[1]?.id)}
${choose("to", "Phiên bản mới hơn", revisions[0]?.id)}
<div><button type="submit">So sánh</button></div>
</form>
${input.compared ? diffView(input.compared.parts) : ""}`
    : ""
}`;
  return renderNewsroomLayout({
    site: input.site,
    title: `Các phiên bản: ${input.title}`,
    csrfToken: input.csrfToken,
    current: "articles",
    notice: input.notice,
    viewer: input.viewer,
    body,
  });
}

function revisionItem(r: RevisionRow, input: RevisionsPageInput): Fragment {
  const zone = input.timeZone;
  return html`<li><p><strong>Phiên bản ${r.number}</strong>${r.latest ? " (mới nhất)" : ""} · lưu bởi ${r.savedBy} · ${timeTag(r.savedAt, zone)}</p>
${r.events.length > 0 ? html`<ul class="muted">${r.events.map((e) => html`<li>${EVENT_LABELS[e.event]}: ${e.by} · ${timeTag(e.at, zone)}</li>`)}</ul>\n` : ""}${
  input.canRestore && !r.latest
    ? html`<div class="actions">${postForm({
        action: ARTICLE_PATHS.restore(input.id),
        csrfToken: input.csrfToken,
        fields: { revision: r.id },
        label: `Khôi phục phiên bản ${r.number}`,
      })}</div>`
    : ""
}</li>
`;
}

function diffView(parts: readonly DiffPart[]): Fragment {
  const changed = parts.some((p) => p.added || p.removed);
  return html`<section aria-labelledby="diff-title" id="diff">
<h3 id="diff-title">Khác biệt</h3>
<p class="hint">Phần thêm vào được gạch dưới trong <code>[+ … +]</code>, phần bỏ đi bị gạch ngang trong <code>[− … −]</code>.</p>
${
  changed
    ? html`<div class="diff">${parts.map((p) =>
        p.added
          ? html`<ins><span class="sr-only">Thêm: </span>${p.value}</ins>`
          : p.removed
            ? html`<del><span class="sr-only">Bỏ: </span>${p.value}</del>`
            : html`${p.value}`,
      )}</div>`
    : html`<p>Hai phiên bản giống hệt nhau.</p>`
}
</section>`;
}
