/** The pages that only show: mentions of the town, its followers, and how deliveries are going. */
import type { Context, Hono } from "hono";
import { blockHost } from "../../storage/interactions.ts";
import type { Store } from "../../storage/store.ts";
import type { FollowerServer } from "../pages/index.ts";
import {
  CURSOR_PARAM,
  NEWSROOM_PATHS,
  renderDeliveries,
  renderFollowers,
  renderMentions,
} from "../pages/index.ts";
import { activityLabels } from "./activity-labels.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { noticeOf } from "./respond.ts";
import { articleTitles } from "./titles.ts";

/** Entries on one page of the mentions and the followers. */
export const LIST_PAGE_SIZE = 50;
/** Activities on the delivery page. */
export const RECENT_ACTIVITIES = 20;

/** Registers `/admin/mentions`, `/admin/followers` and `/admin/deliveries`. */
export function listRoutes(app: Hono<NewsroomEnv>, deps: NewsroomDeps): void {
  const { store } = deps;
  const common = (c: Context<NewsroomEnv>) => ({
    site: deps.content.current().site,
    csrfToken: c.get("session").csrfToken,
    viewer: c.get("viewer"),
    notice: noticeOf(c),
  });

  app.get(NEWSROOM_PATHS.mentions, async (c) => {
    const page = await store.listInteractions({
      kind: "mention",
      order: "desc",
      cursor: c.req.query(CURSOR_PARAM) ?? null,
      limit: LIST_PAGE_SIZE,
    });
    deps.avatars?.want(page.items.map((r) => r.author.avatarUrl));
    return c.html(
      renderMentions({
        ...common(c),
        urls: deps.urls,
        mentions: page.items,
        articleTitles: articleTitles(deps.content),
        next: page.next ?? undefined,
      }),
    );
  });

  app.get(NEWSROOM_PATHS.followers, async (c) => {
    const [count, servers, page] = await Promise.all([
      store.countFollowers(),
      followerServers(store),
      store.listFollowers({ cursor: c.req.query(CURSOR_PARAM) ?? null, limit: LIST_PAGE_SIZE }),
    ]);
    return c.html(
      renderFollowers({
        ...common(c),
        count,
        servers,
        followers: page.items.map((f) => ({ actorId: f.actorId, createdAt: f.createdAt })),
        next: page.next ?? undefined,
      }),
    );
  });

  app.get(NEWSROOM_PATHS.deliveries, async (c) => {
    const activities = await store.listActivityProgress(RECENT_ACTIVITIES);
    const labels = activityLabels(
      activities.map((a) => a.activityId),
      deps.urls.origin,
      articleTitles(deps.content),
    );
    return c.html(renderDeliveries({ ...common(c), activities, labels }));
  });
}

/** Followers by server, most first (ties by name): one pass over the follower list. */
async function followerServers(store: Pick<Store, "listFollowers">): Promise<FollowerServer[]> {
  const counts = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const page = await store.listFollowers({ cursor, limit: 500 });
    for (const { actorId } of page.items) {
      const host = blockHost(actorId) ?? actorId;
      counts.set(host, (counts.get(host) ?? 0) + 1);
    }
    cursor = page.next;
  } while (cursor !== null);
  return [...counts]
    .map(([host, count]) => ({ host, count }))
    .sort((a, b) => b.count - a.count || a.host.localeCompare(b.host));
}
