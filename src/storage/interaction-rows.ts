/** Rows of `interactions`, read back the same on both backends. */
import type { StoredForPut } from "./interaction-rules.ts";
import type { Interaction, InteractionKind, ModerationState, Visibility } from "./interactions.ts";
import { maybeTime, type ReadTime } from "./rows.ts";

export interface InteractionRow<T> {
  id: string;
  kind: string;
  actor_id: string;
  author_name: string | null;
  author_handle: string | null;
  author_avatar_url: string | null;
  author_profile_url: string | null;
  slug: string | null;
  in_reply_to: string | null;
  url: string | null;
  language: string | null;
  html: string | null;
  visibility: string;
  state: string;
  published: T;
  updated: T | null;
  received_at: T;
}

/** The columns a put is judged by (`decidePut`). */
export type StoredRow<T> = Pick<
  InteractionRow<T>,
  "actor_id" | "html" | "in_reply_to" | "updated" | "visibility" | "state"
>;

export function toStoredForPut<T>(time: ReadTime<T>, row: StoredRow<T>): StoredForPut {
  return {
    actorId: row.actor_id,
    html: row.html,
    inReplyTo: row.in_reply_to,
    updated: maybeTime(time, row.updated),
    visibility: row.visibility,
    state: row.state as ModerationState,
  };
}

export function toInteraction<T>(time: ReadTime<T>, row: InteractionRow<T>): Interaction {
  return {
    id: row.id,
    kind: row.kind as InteractionKind,
    author: {
      actorId: row.actor_id,
      name: row.author_name,
      handle: row.author_handle,
      avatarUrl: row.author_avatar_url,
      profileUrl: row.author_profile_url,
    },
    slug: row.slug,
    inReplyTo: row.in_reply_to,
    url: row.url,
    language: row.language,
    html: row.html,
    visibility: row.visibility as Visibility,
    state: row.state as ModerationState,
    published: time(row.published),
    updated: maybeTime(time, row.updated),
    receivedAt: time(row.received_at),
  };
}
