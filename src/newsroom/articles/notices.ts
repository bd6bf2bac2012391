/**
 * The review notices: after a submit, return or publish the service tells
 * `notify` (which enqueues the e-mails, `mail/notices.ts`) without waiting.
 */
import { getLogger } from "@logtape/logtape";
import type { ArticleEvent } from "../../mail/notices.ts";
import type { StoredArticle } from "../../storage/articles.ts";
import type { Actor } from "./types.ts";

const logger = getLogger(["loa", "newsroom", "articles"]);

/** Where the notices go; without one the service sends none. */
export type Notify = (event: ArticleEvent) => Promise<void>;

/** Fire and forget: a notice never delays or fails the action it reports. */
export function tell(
  notify: Notify | undefined,
  actor: Actor,
  kind: ArticleEvent["kind"],
  article: StoredArticle,
  comment: string | undefined,
): void {
  if (!notify) return;
  const event: ArticleEvent = {
    kind,
    articleId: article.id,
    title: article.title,
    owner: article.owner,
    actor: actor.username,
    scheduled: article.state === "scheduled",
    ...(comment === undefined ? {} : { comment }),
  };
  void Promise.resolve()
    .then(() => notify(event))
    .catch((error: unknown) => {
      logger.error("The {kind} notice for {id} failed: {error}", { kind, id: article.id, error });
    });
}
