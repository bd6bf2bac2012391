/** A newsroom page that only says something: a refused request, a page that does not exist. */
import { html } from "hono/html";
import type { Site } from "../../content/types.ts";
import { renderNewsroomLayout, type Viewer } from "./layout.ts";
import { NEWSROOM_PATHS } from "./paths.ts";

/** What {@link renderMessage} needs. */
export interface MessagePageInput {
  site: Site;
  /** The page's heading. */
  title: string;
  /** What happened and what to do, as plain text. */
  message: string;
  /** With a session: the navigation and logout form, as on every staff page. */
  csrfToken?: string;
  viewer?: Viewer;
}

/** The message and a way back to the newsroom's first page. */
export function renderMessage(input: MessagePageInput): string {
  return renderNewsroomLayout({
    site: input.site,
    title: input.title,
    csrfToken: input.csrfToken,
    viewer: input.viewer,
    body: html`<p class="error" role="alert">${input.message}</p>
<p><a href="${NEWSROOM_PATHS.home}">← Về trang đầu của tòa soạn</a></p>`,
  });
}
