/**
 * Between the article service and the pages: who is acting, the form's
 * fields for the service, and a stored revision as the form and its history.
 */
import type { Context } from "hono";
import { pictureImage } from "../../media/picture.ts";
import type { Actor, ArticleForm, ArticleRevision, StaffRole } from "../articles/types.ts";
import type { ArticleFormValues, HistoryEntry, LibraryPicture } from "../pages/article-form.ts";
import { CSRF_FIELD } from "../pages/index.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { clientAddress } from "./respond.ts";

/** The session's member as the service sees them. */
export function actorOf(c: Context<NewsroomEnv>): Actor {
  const session = c.get("session");
  return {
    username: session.username,
    roles: session.roles as readonly StaffRole[],
    address: clientAddress(c),
  };
}

/** Fields the form carries that are not the article's (the service refuses unknown names). */
const NOT_ARTICLE = new Set([CSRF_FIELD, "action", "revision", "comment"]);

/** The article's fields of a POSTed form, every other name kept so the service can refuse it. */
export function articleForm(form: Readonly<Record<string, string>>): ArticleForm {
  return Object.fromEntries(Object.entries(form).filter(([name]) => !NOT_ARTICLE.has(name)));
}

/** The form as it was sent (an error shows it again, nothing lost). */
export function sentValues(
  form: Readonly<Record<string, string>>,
  language: string,
): ArticleFormValues {
  const get = (name: string) => form[name] ?? "";
  return {
    title: get("title"),
    summary: get("summary"),
    body: get("body"),
    tags: get("tags"),
    author: get("author"),
    language: form.language ?? language,
    published: get("published"),
    slug: get("slug"),
    pinned: form.pinned !== undefined,
    image: get("image"),
    image_alt: get("image_alt"),
    revision: get("revision"),
    comment: get("comment"),
  };
}

/** A stored revision as the form shows it. */
export function revisionValues(
  revision: ArticleRevision,
  publishedLocal: string,
): ArticleFormValues {
  return {
    title: revision.title,
    summary: revision.summary,
    body: revision.body,
    tags: revision.tags.join(", "),
    author: revision.authors.join(", "),
    language: revision.language,
    published: publishedLocal,
    slug: revision.slug,
    pinned: revision.pinned,
    image: revision.imageId ?? "",
    image_alt: revision.imageAlt,
    revision: String(revision.number),
    comment: "",
  };
}

/** Everything that happened to the revisions, oldest first. */
export function historyOf(revisions: readonly ArticleRevision[]): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const r of revisions) {
    const revision = String(r.number);
    entries.push({
      event: r.restoredFrom ? "restored" : "saved",
      by: r.savedBy,
      at: r.savedAt,
      revision,
    });
    if (r.submittedBy && r.submittedAt)
      entries.push({ event: "submitted", by: r.submittedBy, at: r.submittedAt, revision });
    if (r.returnedBy && r.returnedAt) {
      entries.push({
        event: "returned",
        by: r.returnedBy,
        at: r.returnedAt,
        revision,
        ...(r.returnComment ? { comment: r.returnComment } : {}),
      });
    }
    if (r.approvedBy && r.approvedAt)
      entries.push({ event: "approved", by: r.approvedBy, at: r.approvedAt, revision });
    if (r.publishedBy && r.publishedAt)
      entries.push({ event: "published", by: r.publishedBy, at: r.publishedAt, revision });
  }
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The library's pictures that can go in an article (those with alt text), newest first. */
export async function libraryPictures(deps: NewsroomDeps): Promise<LibraryPicture[]> {
  const page = await deps.store.listPictures({ limit: 48 });
  return page.items
    .filter((p) => p.alt.trim() !== "")
    .map((p) => ({ id: p.id, src: pictureImage(p, deps.urls).src, alt: p.alt }));
}
