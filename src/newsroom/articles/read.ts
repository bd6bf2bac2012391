/**
 * What the newsroom reads: one article with what its reader may do, the list
 * over both origins (store and files), revisions and their diff.
 */
import type { Clock } from "../../clock.ts";
import { formatLocalDateTime } from "../../content/local-time.ts";
import type { ContentSource } from "../../content/types.ts";
import type { ArticleStore, StoredArticle } from "../../storage/articles.ts";
import { diffRevisions } from "./diff.ts";
import { allowedActions, isEditor, mayView, shownState } from "./rules.ts";
import type {
  Actor,
  ArticleDetail,
  ArticleFailure,
  ArticleList,
  ArticleListItem,
  ArticleListQuery,
  ArticleOutcome,
  RevisionDiff,
} from "./types.ts";

interface ReadDeps {
  store: ArticleStore;
  clock: Clock;
  content: Pick<ContentSource, "current">;
}

const NOT_FOUND: ArticleFailure = { kind: "not-found", message: "Không tìm thấy bài viết này." };
const FORBIDDEN: ArticleFailure = {
  kind: "forbidden",
  message: "Bạn không có quyền làm việc này với bài viết này.",
};

export function readArticles(deps: ReadDeps) {
  const timeZone = () => deps.content.current().site.timezone;

  /** The article for a viewer, or why not (the caller audits a refusal). */
  const visible = async (actor: Actor, id: string): Promise<StoredArticle | ArticleFailure> => {
    const article = await deps.store.getArticle(id);
    if (!article) return NOT_FOUND;
    return mayView(actor, article) ? article : FORBIDDEN;
  };

  const detailFor = async (actor: Actor | null, article: StoredArticle): Promise<ArticleDetail> => {
    const now = deps.clock();
    const revisions = await deps.store.listRevisions(article.id);
    const latest = revisions.find((r) => r.number === article.latestRevision);
    if (!latest) throw new Error(`article ${article.id} has no revision ${article.latestRevision}`);
    const published =
      article.publishedRevision === null
        ? null
        : (revisions.find((r) => r.number === article.publishedRevision) ?? null);
    const returned = revisions.find((r) => r.returnComment !== null);
    const when = latest.published ?? article.firstPublishedAt;
    return {
      article,
      state: shownState(article, now),
      latest,
      published,
      returnComment: article.state === "returned" ? (returned?.returnComment ?? null) : null,
      publishedLocal: when ? formatLocalDateTime(when, timeZone()) : "",
      allowed: actor ? allowedActions(actor, article, now) : [],
    };
  };

  return {
    notFound: (): ArticleOutcome => ({ ok: false, failure: NOT_FOUND }),

    /** The detail after an action, with what the actor may do next. */
    detailOf: (actor: Actor, article: StoredArticle) => detailFor(actor, article),

    async get(actor: Actor, id: string): Promise<ArticleOutcome> {
      const article = await visible(actor, id);
      if ("kind" in article) return { ok: false, failure: article };
      return { ok: true, article: await detailFor(actor, article) };
    },

    async list(actor: Actor, query: ArticleListQuery): Promise<ArticleList> {
      const perPage = Math.min(100, Math.max(1, Math.trunc(query.perPage ?? 20)));
      const page = Math.max(1, Math.trunc(query.page ?? 1));
      const offset = (page - 1) * perPage;
      const now = deps.clock();
      const q = (query.q ?? "").normalize("NFC").trim().slice(0, 200);
      const key = q.toLocaleLowerCase("vi");
      const files = deps.content
        .current()
        .articles.filter((a) => a.newsroomId === undefined)
        .map(
          (a): ArticleListItem => ({
            origin: "file",
            file: a.file,
            slug: a.slug,
            title: a.title,
            state: a.published.getTime() > now.getTime() ? "scheduled" : "published",
            published: a.published,
            readOnly: true,
          }),
        )
        .filter(
          (a) =>
            (query.state === undefined || a.state === query.state) &&
            (key === "" || a.title.toLocaleLowerCase("vi").includes(key)),
        );
      // A writer sees their own articles; an editor every one. Both see the files.
      const owner = isEditor(actor) ? undefined : actor.username;
      // Filtered as shown: a due `scheduled` article is listed (and found) as published.
      const base = { owner, title: q || undefined, state: query.state, shownAt: now };
      const counted = await deps.store.listArticles({ ...base, offset: 0, limit: 0 });
      const stored = await deps.store.listArticles({ ...base, offset, limit: perPage });
      const items: ArticleListItem[] = stored.items.map((a) => ({
        origin: "newsroom",
        id: a.id,
        slug: a.slug,
        title: a.title,
        state: shownState(a, now),
        owner: a.owner,
        updatedAt: a.updatedAt,
        published: a.firstPublishedAt,
      }));
      const fileOffset = Math.max(0, offset - counted.total);
      if (items.length < perPage) {
        items.push(...files.slice(fileOffset, fileOffset + perPage - items.length));
      }
      return { items, page, perPage, total: counted.total + files.length };
    },

    async revisions(actor: Actor, id: string) {
      const article = await visible(actor, id);
      if ("kind" in article) return article;
      return deps.store.listRevisions(id);
    },

    async diff(
      actor: Actor,
      id: string,
      a: number,
      b: number,
    ): Promise<RevisionDiff | ArticleFailure> {
      const article = await visible(actor, id);
      if ("kind" in article) return article;
      const [from, to] = await Promise.all([
        deps.store.getRevision(id, a),
        deps.store.getRevision(id, b),
      ]);
      if (!from || !to) return NOT_FOUND;
      return { from, to, parts: diffRevisions(from, to) };
    },
  };
}
