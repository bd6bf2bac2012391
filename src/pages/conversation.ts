/**
 * The conversation under an article: how many replied, liked and boosted it
 * on the fediverse, the approved replies threaded one level deep, and how to
 * join in. Also the one renderer of a single reply, which the newsroom's
 * queue reuses so staff approve exactly what readers will see.
 */

import { createHash } from "node:crypto";
import { html, raw } from "hono/html";
import type { Site } from "../content/types.ts";
import { avatarPath } from "../media/avatar-key.ts";
import type { Interaction, InteractionCounts } from "../storage/interactions.ts";
import { sanitizeReplyHtml } from "../text/sanitize.ts";
import type { Urls } from "../urls.ts";
import { type Fragment, formatDateVi } from "./format.ts";
import { httpUrl, langAttribute } from "./remote.ts";

/** What {@link renderConversation} needs. */
export interface ConversationInput {
  site: Site;
  urls: Urls;
  counts: InteractionCounts;
  /**
   * The article's replies in reading order (the store's, oldest first). Only
   * approved public replies are shown, whatever else is passed.
   */
  replies: readonly Interaction[];
  /** The article's page, which is also its Note's id: what a reader looks up to reply. */
  articleUrl: string;
  /** Replies wait for staff approval (`replies: moderated`): the reader is told so. */
  moderated?: boolean;
}

/** How {@link renderReply} places one reply. */
export interface ReplyOptions {
  /** The reply shown it answers, when that is not the one it sits under. */
  answers?: Interaction;
}

/** A top-level reply and the replies shown under it (its whole subtree, flattened). */
export interface ReplyThread {
  reply: Interaction;
  children: Interaction[];
}

const numbers = new Intl.NumberFormat("vi-VN");

/** The counts, the threaded replies and how to reply, as a `<section>`. */
export function renderConversation(input: ConversationInput): Fragment {
  const { site, urls, counts } = input;
  const shown = input.replies.filter(
    (r) => r.kind === "reply" && r.state === "approved" && r.visibility === "public",
  );
  const threads = threadReplies(shown);
  const byId = new Map(shown.map((r) => [r.id, r]));
  const handle = urls.handle(site.actor.username);
  return html`<section class="conversation" aria-labelledby="phan-hoi">
<h2 id="phan-hoi">Phản hồi từ mạng xã hội</h2>
<ul class="counts">
<li><strong>${numbers.format(counts.replies)}</strong> phản hồi</li>
<li><strong>${numbers.format(counts.likes)}</strong> lượt thích</li>
<li><strong>${numbers.format(counts.announces)}</strong> lượt chia sẻ</li>
</ul>
${
  threads.length === 0
    ? html`<p>Chưa có phản hồi nào.</p>\n`
    : html`<ol class="replies">\n${threads.map((thread) => renderThread(thread, byId, site))}</ol>\n`
}<p class="how">Trả lời từ Mastodon hoặc mạng xã hội liên hợp: theo dõi <a href="${urls.actor(site.actor.username)}">${handle}</a>, hoặc tìm địa chỉ <span class="url">${input.articleUrl}</span> trên máy chủ của bạn rồi trả lời bài viết.${
    input.moderated ? " Phản hồi hiện ở đây sau khi được duyệt." : ""
  }</p>
</section>`;
}

/** A top-level reply, and under it the rest of its thread, each saying whom it answers when that is not the top. */
function renderThread(
  { reply, children }: ReplyThread,
  byId: ReadonlyMap<string, Interaction>,
  site: Site,
): Fragment {
  const nested = children.map((child) => {
    const parent = child.inReplyTo ? byId.get(child.inReplyTo) : undefined;
    const answers = parent && parent.id !== reply.id ? parent : undefined;
    return html`<li>${renderReply(child, site, { answers })}</li>\n`;
  });
  return html`<li>${renderReply(reply, site)}${
    nested.length > 0 ? html`<ol class="replies">\n${nested}</ol>` : ""
  }</li>\n`;
}

/**
 * Groups replies one level deep: a reply whose `inReplyTo` chain reaches
 * another of these replies sits under that chain's top-level reply; every
 * other reply is top-level. Order within each level is the input's.
 */
export function threadReplies(replies: readonly Interaction[]): ReplyThread[] {
  const byId = new Map<string, Interaction>();
  for (const reply of replies) if (!byId.has(reply.id)) byId.set(reply.id, reply);
  const unique = [...byId.values()];
  const rootOf = (reply: Interaction): Interaction => {
    let current = reply;
    const seen = new Set<string>([current.id]);
    for (;;) {
      const parent = current.inReplyTo ? byId.get(current.inReplyTo) : undefined;
      if (!parent) return current;
      // A cycle a peer could send (A answers B answers A) has no top: each
      // reply caught in it stands on its own, so none is lost.
      if (seen.has(parent.id)) return reply;
      seen.add(parent.id);
      current = parent;
    }
  };
  const threads = new Map<string, ReplyThread>();
  const roots = unique.map(rootOf);
  unique.forEach((reply, i) => {
    if (roots[i] === reply) threads.set(reply.id, { reply, children: [] });
  });
  unique.forEach((reply, i) => {
    const root = roots[i];
    if (root && root !== reply) threads.get(root.id)?.children.push(reply);
  });
  return [...threads.values()];
}

/** The `id` of a reply's element, stable across renders and safe in a URL fragment. */
export function replyAnchor(reply: Interaction): string {
  return `phan-hoi-${createHash("sha256").update(reply.id).digest("hex").slice(0, 12)}`;
}

/**
 * One reply as readers see it: the author (avatar, name, handle) linked to
 * their profile, the content sanitized once more, and its date linking to
 * the original on its server.
 */
export function renderReply(reply: Interaction, site: Site, options: ReplyOptions = {}): Fragment {
  const { author } = reply;
  const profile = httpUrl(author.profileUrl) ?? httpUrl(author.actorId);
  // From our own origin: the sender's server never sees who reads or moderates (`avatars/`).
  const avatar = avatarPath(author.avatarUrl);
  const name = authorName(reply);
  // The avatar is decorative: the name beside it, in the same link, says who it is.
  // <bdi> keeps a name's right-to-left or override characters from reordering what follows.
  const who = html`${avatar ? html`<img class="avatar" src="${avatar}" alt="" width="48" height="48" loading="lazy" decoding="async" referrerpolicy="no-referrer"> ` : ""}<bdi class="name">${name}</bdi>${
    author.handle && author.handle !== name ? html` <bdi class="handle">${author.handle}</bdi>` : ""
  }`;
  const original = httpUrl(reply.url) ?? httpUrl(reply.id);
  const date = html`<time datetime="${reply.published.toISOString()}">${formatDateVi(reply.published, site.timezone)}</time>`;
  const lang = langAttribute(reply.language);
  const answers = options.answers;
  return html`<article class="reply" id="${replyAnchor(reply)}">
<p class="reply-by">${profile ? html`<a href="${profile}" rel="nofollow ugc">${who}</a>` : who}</p>
<div class="reply-content"${lang ? html` lang="${lang}"` : ""}>${raw(sanitizeReplyHtml(reply.html ?? ""))}</div>
<p class="reply-meta">${original ? html`<a href="${original}" rel="nofollow ugc">${date}</a>` : date}${
    reply.updated ? " · đã sửa" : ""
  }${
    answers
      ? html` · trả lời <a href="#${replyAnchor(answers)}"><bdi>${authorName(answers)}</bdi></a>`
      : ""
  }</p>
</article>`;
}

/** The name to show: the display name, else the handle, else the actor's host. */
export function authorName(reply: Interaction): string {
  const { name, handle, actorId } = reply.author;
  if (name?.trim()) return name.trim();
  if (handle) return handle;
  try {
    return new URL(actorId).host;
  } catch {
    return actorId;
  }
}
