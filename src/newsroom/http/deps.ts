/** What the newsroom's routes are built from, and what they keep per request. */
import type { AvatarCache } from "../../avatars/cache.ts";
import type { Clock } from "../../clock.ts";
import type { Config } from "../../config.ts";
import type { ContentSource } from "../../content/types.ts";
import type { MailQueue } from "../../mail/types.ts";
import type { Conversations } from "../../read-models/conversations.ts";
import type { StaffSession } from "../../storage/staff.ts";
import type { Store } from "../../storage/store.ts";
import type { Urls } from "../../urls.ts";
import type { WebEnv } from "../../web/header-policy.ts";
import type { ArticleService } from "../articles/types.ts";
import type { Viewer } from "../pages/layout.ts";

/** The dependencies of {@link newsroomRoutes}; `main.ts` passes the server's own. */
export interface NewsroomDeps {
  /** Staff, sessions and login failures; the queue, blocks, followers and deliveries. */
  store: Store;
  /** Told when a decision changes what an article page shows, so the page re-renders. */
  conversations: Pick<Conversations, "changed">;
  clock: Clock;
  /** ORIGIN: cookies are `Secure` when it is https, and a POST's `Origin` must be it. */
  config: Pick<Config, "origin">;
  /** Article titles for the queue and the delivery list. */
  content: Pick<ContentSource, "current">;
  urls: Urls;
  /**
   * The article service (`main.ts` passes the server's, told to reload the
   * content when readers' pages change); without it the routes make one on `store`.
   */
  articles?: ArticleService;
  /** Told which avatars a page shows, to fetch them in the background (none: placeholders). */
  avatars?: Pick<AvatarCache, "want">;
  /** Where staff mail goes (a one-time link, a review notice); none: mail is off. */
  mail?: MailQueue;
}

/** A request that passed the guard: its staff session and, for a POST, its form. */
export interface NewsroomEnv {
  Variables: WebEnv["Variables"] & {
    session: StaffSession;
    /** The session's roles and counts for the navigation (`viewer.ts`). */
    viewer: Viewer;
    /** The newsroom's dependencies, for middleware used across its routes (`requireRole`). */
    newsroom: NewsroomDeps;
    /** The POSTed form's fields (the last value of a repeated one); empty for a GET. */
    form: Readonly<Record<string, string>>;
  };
}
