import { LanguageString } from "@fedify/fedify";
import {
  Collection,
  Create,
  Delete,
  Hashtag,
  Image,
  InteractionPolicy,
  InteractionRule,
  Note,
  PUBLIC_COLLECTION,
  Tombstone,
  Update,
} from "@fedify/fedify/vocab";
import type { Article } from "../content/types.ts";
import { escapeHtml } from "../text/escape.ts";
import type { Urls } from "../urls.ts";
import { toInstant } from "./temporal.ts";

/** What a Note needs besides the article: where things live. */
export interface NoteContext {
  urls: Urls;
  actorId: URL;
  followersId: URL;
}

/**
 * Symbols that carry a tag's meaning, spelled out as hashtags usually spell
 * them (`#CSharp`, `#CPlusPlus`): Mastodon keeps only letters, digits and `_`
 * in a hashtag, so `C#` would otherwise become `#C`, another tag.
 */
const SPELLED: Readonly<Record<string, string>> = { "#": " Sharp ", "+": " Plus " };

/**
 * A tag as a Mastodon hashtag: no spaces or punctuation, letters (Vietnamese
 * included) and digits kept, each word capitalised so `cải cách hành chính`
 * reads `CảiCáchHànhChính`; `#` and `+` after a word are spelled out.
 */
export function hashtagName(tag: string): string {
  return tag
    .normalize("NFC")
    .replace(/(?<=[\p{L}\p{M}\p{N}])[#+]+/gu, (symbols) =>
      [...symbols].map((c) => SPELLED[c] ?? "").join(""),
    )
    .split(/[^\p{L}\p{M}\p{N}_]+/u)
    .filter((word) => word !== "")
    .map((word) => word.charAt(0).toLocaleUpperCase("vi") + word.slice(1))
    .join("");
}

/**
 * The HTML Mastodon keeps (it drops headings and `<img>`): the title in bold,
 * the summary (or the body when there is none), a link to the page, and the
 * hashtags as links so they become clickable.
 */
export function noteContent(article: Article, urls: Urls): string {
  const url = urls.article(article.slug);
  const parts = [`<p><strong>${escapeHtml(article.title)}</strong></p>`];
  parts.push(article.summary ? `<p>${escapeHtml(article.summary)}</p>` : article.html);
  parts.push(`<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>`);
  const tags = article.tags
    .map((tag) => ({ tag, name: hashtagName(tag) }))
    .filter(({ name }) => name !== "")
    .map(
      ({ tag, name }) =>
        `<a href="${escapeHtml(urls.tag(tag))}" class="mention hashtag" rel="tag">#${escapeHtml(name)}</a>`,
    );
  if (tags.length > 0) parts.push(`<p>${tags.join(" ")}</p>`);
  return parts.join("\n");
}

/** How many likes and boosts a Note shows (Mastodon reads the counts). */
export interface NoteCounts {
  likes: number;
  shares: number;
}

/** Tags as Mastodon hashtags linking to their pages (tags with no letters or digits left out). */
export function toHashtags(tags: readonly string[], urls: Urls): Hashtag[] {
  return tags
    .map((tag) => ({ tag, name: hashtagName(tag) }))
    .filter(({ name }) => name !== "")
    .map(({ tag, name }) => new Hashtag({ name: `#${name}`, href: new URL(urls.tag(tag)) }));
}

/**
 * Anyone may quote the town's posts (FEP-044f as Mastodon 4.5 reads it): a
 * town wants its news spread, and without a policy Mastodon lets nobody.
 */
function quotePolicy(): InteractionPolicy {
  return new InteractionPolicy({
    canQuote: new InteractionRule({ automaticApproval: PUBLIC_COLLECTION }),
  });
}

/**
 * The article as a Note. Its id is the HTML page's URL (content negotiation
 * serves this Note there), or the id of a later publication (`urls.note`)
 * when the article came back after a Delete. `updated` is what the ledger
 * recorded as federated. `counts`, when known, become the `totalItems` of
 * its `likes` and `shares` (Mastodon shows those on the post).
 */
export function toNote(
  article: Article,
  ctx: NoteContext,
  updated?: Date | null,
  id: URL = new URL(ctx.urls.article(article.slug)),
  counts?: NoteCounts,
): Note {
  const url = new URL(ctx.urls.article(article.slug));
  const content = noteContent(article, ctx.urls);
  const hashtags = toHashtags(article.tags, ctx.urls);
  const image = article.image;
  return new Note({
    id,
    attribution: ctx.actorId,
    to: PUBLIC_COLLECTION,
    cc: ctx.followersId,
    published: toInstant(article.published),
    updated: updated ? toInstant(updated) : null,
    url,
    contents: [content, new LanguageString(content, article.language)],
    tags: hashtags,
    interactionPolicy: quotePolicy(),
    attachments: image
      ? [
          new Image({
            url: new URL(ctx.urls.absolute(image.url)),
            mediaType: image.mediaType,
            name: image.alt,
            // Known for newsroom pictures: Mastodon sizes the card before it loads.
            ...(image.width !== undefined ? { width: image.width } : {}),
            ...(image.height !== undefined ? { height: image.height } : {}),
          }),
        ]
      : [],
    // `replies` is a link: Mastodon loads a thread by fetching it (and its `first` page).
    replies: new URL(ctx.urls.replies(article.slug)),
    likes: new Collection({
      id: new URL(ctx.urls.likes(article.slug)),
      totalItems: counts?.likes ?? null,
    }),
    shares: new Collection({
      id: new URL(ctx.urls.shares(article.slug)),
      totalItems: counts?.shares ?? null,
    }),
  });
}

export function toCreate(note: Note, id: URL, actorId: URL, followersId: URL): Create {
  return new Create({
    id,
    actor: actorId,
    to: PUBLIC_COLLECTION,
    cc: followersId,
    published: note.published,
    object: note,
  });
}

export function toUpdate(note: Note, id: URL, actorId: URL, followersId: URL): Update {
  return new Update({
    id,
    actor: actorId,
    to: PUBLIC_COLLECTION,
    cc: followersId,
    published: note.updated,
    updated: note.updated,
    object: note,
  });
}

export function toTombstone(noteId: URL, deleted: Date): Tombstone {
  return new Tombstone({ id: noteId, deleted: toInstant(deleted) });
}

export function toDelete(
  noteId: URL,
  id: URL,
  actorId: URL,
  followersId: URL,
  deleted: Date,
): Delete {
  return new Delete({
    id,
    actor: actorId,
    to: PUBLIC_COLLECTION,
    cc: followersId,
    published: toInstant(deleted),
    object: toTombstone(noteId, deleted),
  });
}
