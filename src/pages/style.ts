/**
 * The pages' only stylesheet, inline (no external assets), and the Content
 * Security Policy it allows: its sha256 hash instead of 'unsafe-inline'.
 */
import { createHash } from "node:crypto";

/**
 * The conversation under an article and each reply in it; the newsroom's
 * stylesheet includes it too, so its queue shows replies as readers see them.
 * `.invisible`/`.ellipsis` shorten long links the way Mastodon does; code
 * wraps rather than scrolls (a scrolling box without focusable content is an
 * accessibility fault).
 */
export const CONVERSATION_CSS = `
.conversation{border-top:1px solid var(--line);margin-top:2rem;padding-top:1rem}
.counts{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;color:var(--muted)}
.counts strong{color:var(--fg)}
.replies{list-style:none;margin:0;padding:0}
.replies .replies{margin-left:.75rem;padding-left:.75rem;border-left:2px solid var(--line)}
.reply{padding:.75rem 0}
.reply p{margin:.25rem 0}
.reply-by a{text-decoration:none}
.reply-by .name{font-weight:600}
.reply .avatar{width:2.5rem;height:2.5rem;border-radius:.25rem;object-fit:cover;vertical-align:middle}
.reply .handle,.reply-meta,.how{color:var(--muted);font-size:.9rem}
.reply pre{white-space:pre-wrap}
.reply .invisible{display:none}
.reply .ellipsis::after{content:"…"}
`.trim();

/** Readable on a phone first; no web fonts, no scripts. */
export const PAGE_CSS = `
:root{color-scheme:light dark;--fg:#1b1b1b;--muted:#5c5c5c;--bg:#fdfdfb;--accent:#0b5cad;--line:#d8d8d2}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e3;--muted:#a8a8a0;--bg:#141414;--accent:#7ab8ff;--line:#33332f}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;overflow-wrap:break-word}
a{color:var(--accent)}
.wrap{max-width:42rem;margin:0 auto;padding:0 1rem}
header.site{border-bottom:1px solid var(--line);padding:.75rem 0}
header.site .name{font-weight:700;font-size:1.15rem;text-decoration:none;color:var(--fg)}
header.site p{margin:.25rem 0 0;color:var(--muted);font-size:.9rem}
main{padding:1rem 0 2rem}
h1{font-size:1.6rem;line-height:1.3;margin:.5rem 0}
h2{font-size:1.2rem;line-height:1.35;margin:0 0 .25rem}
.meta{color:var(--muted);font-size:.9rem;margin:.25rem 0 1rem}
.lead{font-weight:600}
.list{list-style:none;margin:0;padding:0}
.list li{padding:1rem 0;border-bottom:1px solid var(--line)}
.list p{margin:.25rem 0}
figure{margin:1rem 0}
img,video{max-width:100%;height:auto}
figcaption{color:var(--muted);font-size:.85rem}
pre{overflow-x:auto;padding:.75rem;border:1px solid var(--line)}
table{display:block;overflow-x:auto;border-collapse:collapse}
td,th{border:1px solid var(--line);padding:.25rem .5rem}
blockquote{margin:1rem 0;padding-left:1rem;border-left:3px solid var(--line);color:var(--muted)}
.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}
.tags li{border:1px solid var(--line);border-radius:1rem;padding:0 .6rem;font-size:.85rem}
nav.pages{display:flex;justify-content:space-between;padding:1rem 0}
footer.site{border-top:1px solid var(--line);padding:1rem 0 2rem;color:var(--muted);font-size:.9rem}
footer.site ul{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
${CONVERSATION_CSS}
`.trim();

const styleHash = createHash("sha256").update(PAGE_CSS, "utf8").digest("base64");

/**
 * A strict policy every page passes: nothing runs, nothing loads but the one
 * inline stylesheet (by hash) and images from our own origin: remote avatars
 * are served from here (`avatars/`), so no reader's browser asks a sender's
 * server for anything.
 * JSON-LD is a data block, which `script-src` does not govern.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${styleHash}'`,
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");
