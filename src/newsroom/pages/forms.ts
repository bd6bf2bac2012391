/** The newsroom's one-button POST forms, each carrying the session's CSRF token. */
import { html } from "hono/html";
import type { Fragment } from "../../pages/format.ts";
import { CSRF_FIELD, nextPageHref } from "./paths.ts";

/** One action as a form: hidden fields, then its button. */
export interface PostFormInput {
  action: string;
  csrfToken: string;
  /** Hidden fields sent with the token (`id`, `actor`…). */
  fields?: Readonly<Record<string, string>>;
  /** The button's text. */
  label: string;
  /** The button's look: the usual action, or one that removes or blocks. */
  tone?: "primary" | "danger";
}

/** A form that POSTs `fields` and the CSRF token to `action` when its button is pressed. */
export function postForm(input: PostFormInput): Fragment {
  const fields = Object.entries(input.fields ?? {});
  return html`<form method="post" action="${input.action}"><input type="hidden" name="${CSRF_FIELD}" value="${input.csrfToken}">${fields.map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )}<button type="submit"${input.tone ? html` class="${input.tone}"` : ""}>${input.label}</button></form>`;
}

/** The link to a list's next page, when there is one. */
export function pager(path: string, next: string | undefined): Fragment | string {
  return next
    ? html`<nav class="pager" aria-label="Trang"><a href="${nextPageHref(path, next)}" rel="next">Trang sau →</a></nav>\n`
    : "";
}
