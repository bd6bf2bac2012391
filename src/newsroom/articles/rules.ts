/**
 * Who may do what to an article, and in which state (the contract's "Roles"
 * table): the one place these rules live, asked before every change.
 */
import type { StoredArticle } from "../../storage/articles.ts";
import type { Actor, ArticleAction, ShownState } from "./types.ts";

export function isEditor(actor: Actor): boolean {
  return actor.roles.includes("editor") || actor.roles.includes("admin");
}

export function isWriter(actor: Actor): boolean {
  return isEditor(actor) || actor.roles.includes("writer");
}

/** The state as of `now`: a scheduled article whose time came is published. */
export function shownState(article: StoredArticle, now: Date): ShownState {
  if (
    article.state === "scheduled" &&
    article.firstPublishedAt !== null &&
    article.firstPublishedAt.getTime() <= now.getTime()
  ) {
    return "published";
  }
  return article.state;
}

/** Once readers have seen it, its URL (and Note id) never change. */
export function slugFixed(article: StoredArticle, now: Date): boolean {
  return article.firstPublishedAt !== null && article.firstPublishedAt.getTime() <= now.getTime();
}

/** Whether `actor` may view (and open the form of) the article. */
export function mayView(actor: Actor, article: StoredArticle): boolean {
  return isEditor(actor) || (isWriter(actor) && article.owner === actor.username);
}

/** The states in which each action applies (whoever takes it). */
const STATES: Record<Exclude<ArticleAction, "save">, readonly ShownState[]> = {
  submit: ["draft", "returned"],
  publish: ["draft", "submitted", "returned", "scheduled", "published"],
  unschedule: ["scheduled"],
  return: ["submitted"],
  withdraw: ["published"],
  republish: ["withdrawn"],
  restore: ["draft", "submitted", "returned", "scheduled", "published", "withdrawn"],
};

/** May the role take this action on this article at all (state aside)? */
export function roleAllows(actor: Actor, action: ArticleAction, article: StoredArticle): boolean {
  if (isEditor(actor)) return true;
  if (!isWriter(actor) || article.owner !== actor.username) return false;
  return action === "save" || action === "submit";
}

/** Does the action apply to an article in `state`? (A writer's save: only drafts and returned ones.) */
export function stateAllows(actor: Actor, action: ArticleAction, state: ShownState): boolean {
  if (action === "save") return isEditor(actor) || state === "draft" || state === "returned";
  return STATES[action].includes(state);
}

/** The actions worth offering `actor` on this article now. */
export function allowedActions(actor: Actor, article: StoredArticle, now: Date): ArticleAction[] {
  const state = shownState(article, now);
  const all: ArticleAction[] = [
    "save",
    "submit",
    "publish",
    "unschedule",
    "return",
    "withdraw",
    "republish",
    "restore",
  ];
  return all.filter((a) => roleAllows(actor, a, article) && stateAllows(actor, a, state));
}
