/** Words and small pieces several newsroom pages show. */
import { html } from "hono/html";
import { type Fragment, formatDateVi } from "../../pages/format.ts";
import type { Visibility } from "../../storage/interactions.ts";

/** Who could see a post where it was written, as staff read it. */
export const VISIBILITY_LABELS: Readonly<Record<Visibility, string>> = {
  public: "công khai",
  followers: "chỉ người theo dõi",
  direct: "riêng tư",
};

/** A `<time>` in the site's style and time zone. */
export function timeTag(date: Date, timeZone: string): Fragment {
  return html`<time datetime="${date.toISOString()}">${formatDateVi(date, timeZone)}</time>`;
}

const numbers = new Intl.NumberFormat("vi-VN");

/** A count as Vietnamese readers write it (1.234). */
export function formatCount(n: number): string {
  return numbers.format(n);
}
