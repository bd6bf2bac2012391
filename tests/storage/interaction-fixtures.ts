/** Interactions to store in the shared suites. */
import type { Interaction, InteractionQuery } from "../../src/storage/interactions.ts";
import type { Store } from "../../src/storage/store.ts";

export const SLUG = "lễ-hội-cửa-lò";

/** A public approved reply to {@link SLUG}, by `overrides.author` or Lan on social.example. */
export function reply(n: number, overrides: Partial<Interaction> = {}): Interaction {
  const actorId = overrides.author?.actorId ?? "https://social.example/users/lan";
  return {
    id: `${actorId}/statuses/${n}`,
    kind: "reply",
    author: {
      actorId,
      name: "Nguyễn Thị Lan",
      handle: "@lan@social.example",
      avatarUrl: "https://social.example/avatars/lan.png",
      profileUrl: "https://social.example/@lan",
    },
    slug: SLUG,
    inReplyTo: `https://town.example/articles/${SLUG}`,
    url: `https://social.example/@lan/${n}`,
    language: "vi",
    html: `<p>Cảm ơn phường đã thông báo (${n}).</p>`,
    visibility: "public",
    state: "approved",
    published: new Date(Date.UTC(2024, 4, 1, 8, 0, n)),
    updated: null,
    receivedAt: new Date(Date.UTC(2024, 4, 1, 8, 1, n)),
    ...overrides,
  };
}

export function reaction(
  kind: "like" | "announce",
  actorId: string,
  slug: string,
  n: number,
): Interaction {
  return reply(n, {
    id: `${actorId}/${kind}s/${slug}/${n}`,
    kind,
    author: { actorId, name: null, handle: null, avatarUrl: null, profileUrl: null },
    slug,
    inReplyTo: null,
    url: null,
    language: null,
    html: null,
  });
}

export function by(actorId: string): Pick<Interaction, "author"> {
  return {
    author: { actorId, name: null, handle: null, avatarUrl: null, profileUrl: null },
  };
}

export async function ids(store: Store, query: InteractionQuery): Promise<string[]> {
  return (await store.listInteractions(query)).items.map((i) => i.id);
}
