/**
 * An article's preview (as readers and as followers will see its latest
 * revision) and its revisions (who saved each and when, a diff between any
 * two, and `restore`). The public page is rendered by its real template and
 * the post by the real Note mapper: what is previewed is what is sent.
 */
import { Image } from "@fedify/fedify/vocab";
import type { Context, Hono } from "hono";
import { renderArticlePage } from "../../pages/article-page.ts";
import { toNote } from "../../publish/note.ts";
import { storePictures, toArticle } from "../articles/origin.ts";
import type { ArticleFailure, ArticleRevision, ArticleService } from "../articles/types.ts";
import { ACTION_NOTICES } from "../pages/article-labels.ts";
import { renderArticlePreview } from "../pages/article-preview.ts";
import { type DiffPart, type RevisionRow, renderRevisions } from "../pages/article-revisions.ts";
import { ARTICLE_PATHS, FRAMED_PAGE_CSP, PREVIEW_CSP } from "../pages/index.ts";
import { actorOf } from "./article-view.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { refuse } from "./respond.ts";

const BASE = `${ARTICLE_PATHS.list}/:id`;

/** Registers the preview, the framed public page, the revisions and `restore`. */
export function revisionRoutes(
  app: Hono<NewsroomEnv>,
  deps: NewsroomDeps,
  service: ArticleService,
): void {
  const site = () => deps.content.current().site;
  const refused = (c: Context<NewsroomEnv>, failure: ArticleFailure) =>
    refuse(
      c,
      deps,
      failure.kind === "forbidden" ? 403 : failure.kind === "not-found" ? 404 : 409,
      "message" in failure ? failure.message : "Không thực hiện được.",
      c.get("session").csrfToken,
    );

  /** The latest revision as an `Article`, with its picture. */
  async function latestArticle(c: Context<NewsroomEnv>) {
    const outcome = await service.get(actorOf(c), c.req.param("id") ?? "");
    if (!outcome.ok) return { ok: false, failure: outcome.failure } as const;
    const { latest, published, article } = outcome.article;
    // The converter the content source uses, so the preview is what will be served;
    // a draft without a date yet is shown as if published now.
    const shown = await toArticle(
      {
        article,
        revision: { ...latest, published: latest.published ?? deps.clock() },
        firstPublishedNumber: article.publishedRevision ?? latest.number,
      },
      site(),
      { pictures: storePictures(deps.store, deps.urls), origin: deps.config.origin },
    );
    return {
      ok: true,
      detail: outcome.article,
      article: shown,
      draftOfPublished:
        published !== null && published.number !== latest.number && article.state === "published",
    } as const;
  }

  app.get(`${BASE}/preview`, async (c) => {
    const found = await latestArticle(c);
    if (!found.ok) return refused(c, found.failure);
    const { article, detail } = found;
    const username = site().actor.username;
    const note = toNote(article, {
      urls: deps.urls,
      actorId: new URL(deps.urls.actor(username)),
      followersId: new URL(deps.urls.followers(username)),
    });
    const attachments = [];
    for await (const a of note.getAttachments()) {
      const url = a instanceof Image && a.url instanceof URL ? a.url.href : undefined;
      if (a instanceof Image && url) {
        attachments.push({
          url,
          alt: a.name?.toString() ?? "",
          ...(a.mediaType ? { mediaType: a.mediaType } : {}),
        });
      }
    }
    c.header("Content-Security-Policy", PREVIEW_CSP);
    return c.html(
      renderArticlePreview({
        site: site(),
        csrfToken: c.get("session").csrfToken,
        viewer: c.get("viewer"),
        id: detail.article.id,
        title: article.title,
        note: {
          content: note.content?.toString() ?? "",
          attachments,
          published: article.published,
          actorName: site().actor.name,
          handle: deps.urls.handle(username),
          ...(site().actor.icon ? { icon: deps.urls.absolute(site().actor.icon ?? "") } : {}),
        },
        timeZone: site().timezone,
        draftOfPublished: found.draftOfPublished,
      }),
    );
  });

  app.get(`${BASE}/preview/page`, async (c) => {
    const found = await latestArticle(c);
    if (!found.ok) return refused(c, found.failure);
    c.header("Content-Security-Policy", FRAMED_PAGE_CSP);
    return c.html(renderArticlePage({ site: site(), article: found.article, urls: deps.urls }));
  });

  app.get(`${BASE}/revisions`, async (c) => {
    const actor = actorOf(c);
    const id = c.req.param("id") ?? "";
    const outcome = await service.get(actor, id);
    if (!outcome.ok) return refused(c, outcome.failure);
    const revisions = await service.revisions(actor, id);
    if (!Array.isArray(revisions)) return refused(c, revisions);
    const numbers = new Map(revisions.map((r) => [String(r.number), r.number]));
    const from = numbers.get(c.req.query("from") ?? "");
    const to = numbers.get(c.req.query("to") ?? "");
    let compared: { from: string; to: string; parts: DiffPart[] } | undefined;
    if (from !== undefined && to !== undefined) {
      const [older, newer] = from <= to ? [from, to] : [to, from];
      const diff = await service.diff(actor, id, older, newer);
      if (!("parts" in diff)) return refused(c, diff);
      compared = { from: String(older), to: String(newer), parts: readableDiff(diff.parts) };
    }
    const doneKey = c.req.query("done");
    return c.html(
      renderRevisions({
        site: site(),
        csrfToken: c.get("session").csrfToken,
        viewer: c.get("viewer"),
        ...(doneKey === "restore" ? { notice: ACTION_NOTICES.restore } : {}),
        id,
        title: outcome.article.latest.title,
        revisions: revisions.map((r) => rowOf(r, revisions[0]?.number ?? 0)),
        ...(compared ? { compared } : {}),
        canRestore: outcome.article.allowed.includes("restore"),
        timeZone: site().timezone,
      }),
    );
  });

  app.post(`${BASE}/restore`, async (c) => {
    const id = c.req.param("id") ?? "";
    const actor = actorOf(c);
    const from = Number(c.get("form").revision);
    const current = await service.get(actor, id);
    if (!current.ok) return refused(c, current.failure);
    if (!Number.isSafeInteger(from) || from < 1) {
      return refuse(c, deps, 400, "Không có phiên bản này.", c.get("session").csrfToken);
    }
    const outcome = await service.restore(actor, id, current.article.latest.number, from);
    if (!outcome.ok) return refused(c, outcome.failure);
    return c.redirect(`${ARTICLE_PATHS.revisions(id)}?done=restore`, 303);
  });
}

/** The service's field-by-field diff as one readable text: each changed field under its name. */
function readableDiff(parts: readonly { field: string; kind: string; text: string }[]): DiffPart[] {
  const out: DiffPart[] = [];
  let field = "";
  for (const part of parts) {
    if (part.field !== field) {
      field = part.field;
      out.push({ value: `${out.length > 0 ? "\n" : ""}— ${FIELD_NAMES[field] ?? field} —\n` });
    }
    out.push({
      value: part.text,
      ...(part.kind === "added"
        ? { added: true }
        : part.kind === "removed"
          ? { removed: true }
          : {}),
    });
  }
  return out;
}

const FIELD_NAMES: Readonly<Record<string, string>> = {
  title: "Tiêu đề",
  summary: "Tóm tắt",
  body: "Nội dung",
  tags: "Thẻ",
  authors: "Tác giả",
  author: "Tác giả",
  language: "Ngôn ngữ",
  published: "Ngày giờ đăng",
  slug: "Đường dẫn",
  pinned: "Ghim",
  imageId: "Ảnh",
  image: "Ảnh",
  imageAlt: "Mô tả ảnh",
  image_alt: "Mô tả ảnh",
};

function rowOf(r: ArticleRevision, latest: number): RevisionRow {
  const events: RevisionRow["events"][number][] = [];
  if (r.submittedBy && r.submittedAt)
    events.push({ event: "submitted", by: r.submittedBy, at: r.submittedAt });
  if (r.returnedBy && r.returnedAt)
    events.push({ event: "returned", by: r.returnedBy, at: r.returnedAt });
  if (r.approvedBy && r.approvedAt)
    events.push({ event: "approved", by: r.approvedBy, at: r.approvedAt });
  if (r.publishedBy && r.publishedAt)
    events.push({ event: "published", by: r.publishedBy, at: r.publishedAt });
  return {
    id: String(r.number),
    number: r.number,
    savedBy: r.savedBy,
    savedAt: r.savedAt,
    events,
    latest: r.number === latest,
  };
}
