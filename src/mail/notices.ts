/**
 * The review path's notices: editors when an article is submitted, its
 * writer when it is returned or published. Recipients are the staff
 * accounts with an address, never the member who acted.
 */
import { getLogger } from "@logtape/logtape";
import type { StaffAccount, StaffStore } from "../storage/staff.ts";
import { type ArticleEventKind, noticeText } from "./texts.ts";
import type { MailQueue } from "./types.ts";

export type { ArticleEventKind } from "./texts.ts";

const logger = getLogger(["loa", "mail", "notices"]);

/** A review step that succeeded, as the article service reports it. */
export interface ArticleEvent {
  kind: ArticleEventKind;
  articleId: string;
  title: string;
  /** The article's writer. */
  owner: string;
  /** Who acted. */
  actor: string;
  /** The editor's comment, for `return`. */
  comment?: string;
  /** For `publish`: it goes online later, on its date. */
  scheduled?: boolean;
}

export interface ArticleNoticesDeps {
  store: Pick<StaffStore, "listStaff">;
  mail: MailQueue;
  /** The article's absolute newsroom URL. */
  articleUrl: (id: string) => string;
  /** The site's title and language as they are now (content/site.yml). */
  site: () => { title: string; language: string };
}

const isEditor = (account: StaffAccount) =>
  account.roles.includes("editor") || account.roles.includes("admin");

/** Whom `event` concerns: their addresses, one each. */
function recipients(event: ArticleEvent, staff: StaffAccount[]): string[] {
  const wanted = staff.filter((account) =>
    event.kind === "submit" ? isEditor(account) : account.username === event.owner,
  );
  const addresses = wanted
    .filter((account) => account.username !== event.actor && account.email)
    .map((account) => account.email as string);
  return [...new Set(addresses)];
}

/** Builds the notifier the article service calls after a review step. */
export function articleNotices(deps: ArticleNoticesDeps): (event: ArticleEvent) => Promise<void> {
  return async (event) => {
    const to = recipients(event, await deps.store.listStaff());
    if (to.length === 0) return;
    const site = deps.site();
    const message = noticeText(site.language, {
      kind: event.kind,
      title: event.title,
      actor: event.actor,
      comment: event.comment ?? "",
      scheduled: event.scheduled ?? false,
      link: deps.articleUrl(event.articleId),
      site: site.title,
    });
    logger.debug("Notice of {kind} on {id} to {count} addresses", {
      kind: event.kind,
      id: event.articleId,
      count: to.length,
    });
    for (const address of to) await deps.mail.enqueue({ to: address, ...message });
  };
}
