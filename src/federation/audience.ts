/**
 * Reading what a peer sent: who it was addressed to, who wrote it, and which
 * of our articles it concerns. Pure helpers for the interaction handlers.
 */
import type { Context } from "@fedify/fedify";
import {
  type Actor,
  type Object as APObject,
  type Article,
  Image,
  Link,
  Mention,
  type Note,
  PUBLIC_COLLECTION,
} from "@fedify/fedify/vocab";
import type { RemoteAuthor, Visibility } from "../storage/interactions.ts";
import { loadersOf, MAX_LIST_ITEMS, sentOnly } from "./fetch-budget.ts";
import type { RequestData } from "./request-data.ts";

/** What a reply or mention arrives as (Mastodon sends Notes; some servers, Articles). */
export type Post = Note | Article;

const PUBLIC = PUBLIC_COLLECTION.href;
// JSON-LD compaction may spell the Public collection either way.
const PUBLIC_ALIASES = new Set([PUBLIC, "as:Public", "Public"]);

/**
 * Public when the Public collection is in `to` or `cc` (Mastodon's "public"
 * and "unlisted"), followers when the sender's followers collection is
 * addressed, else direct (only the people named).
 */
export function visibilityOf(object: APObject, senderFollowers: URL | null): Visibility {
  const audience = [...object.toIds, ...object.ccIds].map((u) => u.href);
  if (audience.some((a) => PUBLIC_ALIASES.has(a))) return "public";
  if (senderFollowers && audience.includes(senderFollowers.href)) return "followers";
  return "direct";
}

/** Longest display name kept (Mastodon allows 30 characters; some servers more). */
const MAX_NAME = 200;
/** Longest URL kept beside an author (ids are longer than this only when hostile). */
const MAX_URL = 2048;

function text(value: unknown): string | null {
  if (value == null) return null;
  const s = [...String(value).trim()].slice(0, MAX_NAME).join("");
  return s === "" ? null : s;
}

function bounded(url: string | null): string | null {
  return url !== null && url.length <= MAX_URL ? url : null;
}

/** The author as shown beside what it sent (name, handle, avatar, profile). */
export async function authorOf(actor: Actor, ctx: Context<RequestData>): Promise<RemoteAuthor> {
  const id = actor.id as URL;
  const username = text(actor.preferredUsername);
  let avatarUrl: string | null = null;
  try {
    const icon = await actor.getIcon({ ...loadersOf(ctx), suppressError: true });
    const url = icon instanceof Image ? icon.url : null;
    avatarUrl =
      url instanceof URL ? url.href : url instanceof Link ? (url.href?.href ?? null) : null;
  } catch {
    avatarUrl = null;
  }
  const profile = actor.url;
  const profileUrl =
    profile instanceof URL
      ? profile.href
      : profile instanceof Link
        ? (profile.href?.href ?? id.href)
        : id.href;
  return {
    actorId: id.href,
    name: text(actor.name),
    handle: username ? `@${username}@${id.host}` : null,
    avatarUrl: bounded(avatarUrl),
    profileUrl: bounded(profileUrl) ?? id.href,
  };
}

/**
 * Whether the Note names our actor in a Mention tag, read from the tags as
 * sent (embedded, as every server sends Mentions): a tag given only as a URL
 * is not fetched, and at most {@link MAX_LIST_ITEMS} tags are looked at. A
 * Mention's own `id` may be anywhere ("trust"): only its `href` is read, and
 * that is the Note author's own word about whom it addresses.
 */
export async function mentions(
  note: Post,
  actorId: URL,
  ctx: Context<RequestData>,
): Promise<boolean> {
  let looked = 0;
  try {
    for await (const tag of note.getTags({ ...sentOnly(loadersOf(ctx)), crossOrigin: "trust" })) {
      if (tag instanceof Mention && tag.href?.href === actorId.href) return true;
      if (++looked >= MAX_LIST_ITEMS) return false;
    }
  } catch {
    // Past the bound, or a tag that does not parse: not a mention of us.
  }
  return false;
}

/** The slug of our article whose Note is at `url`, or null when `url` is not one of ours. */
export function ourArticleSlug(ctx: Context<RequestData>, url: URL | null): string | null {
  if (url == null) return null;
  const parsed = ctx.parseUri(url);
  if (parsed?.type !== "object") return null;
  const slug = parsed.values.slug;
  return parsed.typeId.href === "https://www.w3.org/ns/activitystreams#Note" && slug ? slug : null;
}

/** The content's language, when the Note says (a `contentMap` key). */
export function languageOf(note: Post): string | null {
  for (const content of note.contents) {
    if (typeof content !== "string" && content.locale) return content.locale.baseName;
  }
  return null;
}

/** The content as HTML (the first `content`, whichever language). */
export function contentOf(note: Post): string {
  const first = note.contents[0];
  return first == null ? "" : String(first);
}
