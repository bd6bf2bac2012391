/**
 * The editor's forms checked before any change: the article form against
 * everything outside it (the slugs files and other articles hold, the slug
 * fixed once published, the picture library; `validate.ts` checks the form on
 * its own), and the comment an article is returned with.
 */
import { randomUUID } from "node:crypto";
import { getLogger } from "@logtape/logtape";
import type { Clock } from "../../clock.ts";
import { slugify } from "../../content/slug.ts";
import type { ContentSource } from "../../content/types.ts";
import type { PictureImage } from "../../media/picture.ts";
import type { ArticleFields, ArticleStore, StoredArticle } from "../../storage/articles.ts";
import { slugFixed } from "./rules.ts";
import type { ArticleFailure, ArticleForm } from "./types.ts";
import { type FieldProblem, LIMITS, parseArticleForm } from "./validate.ts";

const logger = getLogger(["loa", "newsroom", "articles"]);

/** A picture by id as an article shows it (`media/picture.ts`), or null when there is none. */
export type PictureLookup = (id: string) => Promise<PictureImage | null>;

export interface FormCheckDeps {
  store: Pick<ArticleStore, "getArticleBySlug">;
  clock: Clock;
  content: Pick<ContentSource, "current">;
  pictures: PictureLookup;
}

/** The fields to save, or why the form cannot be saved. */
export type FormCheck =
  | { ok: true; fields: ArticleFields }
  | { ok: false; failure: ArticleFailure };

export function invalid(problems: FieldProblem[]): ArticleFailure {
  return { kind: "invalid", fields: Object.fromEntries(problems.map((p) => [p.field, p.vi])) };
}

/** The check for the form of article `id` (`article` is null while it is being created). */
export function formChecker(
  deps: FormCheckDeps,
): (form: ArticleForm, id: string, article: StoredArticle | null) => Promise<FormCheck> {
  /** Is the slug held by a file article (or, in the snapshot, another newsroom article)? */
  const heldElsewhere = (slug: string, id: string) =>
    deps.content.current().articles.some((a) => a.slug === slug && a.newsroomId !== id);

  /** A free slug from the title: `cua-lo`, else `cua-lo-2`, `cua-lo-3`… */
  const freeSlug = async (title: string, id: string): Promise<string> => {
    const base = (slugify(title) || "bai-viet").slice(0, LIMITS.slug - 4).replace(/-+$/, "");
    for (let n = 1; n < 1000; n++) {
      const slug = n === 1 ? base : `${base}-${n}`;
      const holder = await deps.store.getArticleBySlug(slug);
      if ((holder === null || holder.id === id) && !heldElsewhere(slug, id)) return slug;
    }
    return `${base}-${randomUUID().slice(0, 8)}`;
  };

  return async (form, id, article) => {
    const parsed = parseArticleForm(form, deps.content.current().site.timezone);
    if (!parsed.ok) return { ok: false, failure: invalid(parsed.problems) };
    const fields = parsed.fields;
    const problems: FieldProblem[] = [];
    if (article && slugFixed(article, deps.clock())) {
      if (!parsed.slugFromTitle && fields.slug !== article.slug) {
        problems.push({
          field: "slug",
          vi: `Bài đã đăng nên đường dẫn được giữ nguyên: ${article.slug}.`,
          en: "the slug is fixed once published",
        });
      }
      fields.slug = article.slug;
    } else if (parsed.slugFromTitle) {
      fields.slug = article?.slug || (await freeSlug(fields.title, id));
    } else if (heldElsewhere(fields.slug, id)) {
      problems.push({
        field: "slug",
        vi: `Đường dẫn ${fields.slug} đã thuộc về một bài khác.`,
        en: "the slug is held by another article",
      });
    }
    if (fields.imageId !== null) {
      const picture = await deps.pictures(fields.imageId);
      if (picture === null) {
        problems.push({
          field: "image",
          vi: "Không tìm thấy ảnh này trong thư viện.",
          en: "no such picture",
        });
      } else if (fields.imageAlt === "" && picture.alt.trim() === "") {
        problems.push({
          field: "image_alt",
          vi: "Ảnh cần có mô tả (văn bản thay thế) cho người không nhìn thấy ảnh.",
          en: "a picture needs its alt text",
        });
      } else if (fields.imageAlt === "") fields.imageAlt = picture.alt.trim();
    }
    if (problems.length > 0) {
      logger.info("Refused a form: {problems}", { problems: problems.map((p) => p.en) });
      return { ok: false, failure: invalid(problems) };
    }
    return { ok: true, fields };
  };
}

/** The comment an editor returns an article with: the writer must learn what to fix. */
export function checkComment(
  comment: string | undefined,
): { ok: true; comment: string } | { ok: false; failure: ArticleFailure } {
  const text = (comment ?? "").normalize("NFC").trim();
  if (text !== "" && text.length <= LIMITS.comment) return { ok: true, comment: text };
  return {
    ok: false,
    failure: {
      kind: "invalid",
      fields: {
        comment:
          text === ""
            ? "Hãy ghi nhận xét để người viết biết cần sửa gì."
            : `Nhận xét quá dài: tối đa ${LIMITS.comment} ký tự.`,
      },
    },
  };
}
