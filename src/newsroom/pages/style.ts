/**
 * The newsroom's only stylesheet and the policy that allows it by hash.
 * Separate from the public pages' so each CSP names one stylesheet; the
 * replies' rules are shared so the queue shows them as readers will.
 */
import { createHash } from "node:crypto";
import { CONVERSATION_CSS } from "../../pages/style.ts";

/** Phone first: one column, large touch targets, no scripts. */
export const NEWSROOM_CSS = `
:root{color-scheme:light dark;--fg:#1b1b1b;--muted:#5c5c5c;--bg:#fdfdfb;--accent:#0b5cad;--line:#d8d8d2;--danger:#a4161a;--ok:#1e6b32}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e3;--muted:#a8a8a0;--bg:#141414;--accent:#7ab8ff;--line:#33332f;--danger:#ff8a8a;--ok:#7fd18f}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;overflow-wrap:break-word}
a{color:var(--accent)}
.wrap{max-width:48rem;margin:0 auto;padding:0 1rem}
header.bar{border-bottom:1px solid var(--line);padding:.5rem 0}
header.bar p{margin:0;font-weight:700}
nav ul{list-style:none;margin:.25rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:0 1rem;align-items:center}
nav a{display:inline-block;padding:.5rem 0}
nav a[aria-current]{color:var(--fg);font-weight:700;text-decoration:none}
nav button{min-height:0;padding:.5rem 0;border:0;background:none;color:var(--accent);text-decoration:underline}
main{padding:1rem 0 2rem}
h1{font-size:1.4rem;line-height:1.3;margin:.5rem 0 1rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.items{list-style:none;margin:0;padding:0}
.items>li{border:1px solid var(--line);border-radius:.5rem;padding:.75rem;margin:0 0 1rem}
.items>li>:first-child{margin-top:0}
.rows{list-style:none;margin:0;padding:0}
.rows>li{padding:.5rem 0;border-bottom:1px solid var(--line)}
.muted{color:var(--muted);font-size:.9rem;margin:.25rem 0}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.5rem}
form{margin:0}
button{font:inherit;min-height:2.75rem;padding:.5rem .9rem;border:1px solid var(--muted);border-radius:.35rem;background:var(--bg);color:var(--fg);cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:var(--bg)}
button.danger{color:var(--danger);border-color:var(--danger)}
.notice,.error{margin:0 0 1rem;padding:.5rem .75rem;border-left:4px solid var(--ok)}
.error{border-color:var(--danger)}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input{font:inherit;width:100%;max-width:24rem;padding:.5rem;border:1px solid var(--muted);border-radius:.35rem;background:var(--bg);color:var(--fg)}
form.add{margin:0 0 1rem}
form.add button{margin-top:.5rem}
table{border-collapse:collapse}
th,td{border-bottom:1px solid var(--line);padding:.35rem 1rem .35rem 0;text-align:left;vertical-align:top;overflow-wrap:anywhere}
progress{display:block;width:100%;max-width:24rem;height:1rem}
.pager{padding:1rem 0}
img{max-width:100%;height:auto}
textarea{font:inherit;width:100%;padding:.5rem;border:1px solid var(--muted);border-radius:.35rem;background:var(--bg);color:var(--fg)}
input[type=file]{max-width:100%}
${CONVERSATION_CSS}
`.trim();

const styleHash = createHash("sha256").update(NEWSROOM_CSS, "utf8").digest("base64");

/**
 * Every newsroom page's policy: nothing runs, only this stylesheet (by
 * hash) and images from our own origin (uploaded pictures, and the authors'
 * avatars, fetched once by `avatars/`: a sender never learns who moderates)
 * load, forms post only here, and
 * no other site may frame the page (clickjacking an "approve" button).
 */
export const NEWSROOM_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${styleHash}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");
