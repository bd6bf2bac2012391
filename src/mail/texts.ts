/**
 * What the review notices say, per language. The site's `language` picks
 * the texts (its primary subtag); an unknown one falls back to Vietnamese.
 */

export type ArticleEventKind = "submit" | "return" | "publish";

/** What a notice is built from. */
export interface NoticeFacts {
  kind: ArticleEventKind;
  title: string;
  /** The staff member who acted. */
  actor: string;
  /** The editor's comment (for `return`). */
  comment: string;
  /** For `publish`: it goes online later, on its date. */
  scheduled: boolean;
  /** The absolute newsroom link to the article. */
  link: string;
  site: string;
}

type Texts = (facts: NoticeFacts) => { subject: string; text: string };

const vi: Texts = (f) => {
  const sign = `\n\n— Tòa soạn ${f.site}`;
  switch (f.kind) {
    case "submit":
      return {
        subject: `Bài chờ duyệt: ${f.title}`,
        text: `${f.actor} vừa gửi bài “${f.title}” để duyệt.\n\nXem và duyệt bài: ${f.link}${sign}`,
      };
    case "return":
      return {
        subject: `Bài được trả lại: ${f.title}`,
        text: `${f.actor} đã trả lại bài “${f.title}” với nhận xét:\n\n${f.comment}\n\nSửa bài: ${f.link}${sign}`,
      };
    case "publish":
      return f.scheduled
        ? {
            subject: `Bài đã được duyệt: ${f.title}`,
            text: `${f.actor} đã duyệt bài “${f.title}”; bài sẽ lên trang vào thời điểm đã hẹn.\n\nXem bài: ${f.link}${sign}`,
          }
        : {
            subject: `Bài đã đăng: ${f.title}`,
            text: `${f.actor} đã duyệt và đăng bài “${f.title}”.\n\nXem bài: ${f.link}${sign}`,
          };
  }
};

const en: Texts = (f) => {
  const sign = `\n\n— ${f.site} newsroom`;
  switch (f.kind) {
    case "submit":
      return {
        subject: `Waiting for review: ${f.title}`,
        text: `${f.actor} submitted “${f.title}” for review.\n\nReview it: ${f.link}${sign}`,
      };
    case "return":
      return {
        subject: `Returned to you: ${f.title}`,
        text: `${f.actor} returned “${f.title}” with this comment:\n\n${f.comment}\n\nEdit it: ${f.link}${sign}`,
      };
    case "publish":
      return f.scheduled
        ? {
            subject: `Approved: ${f.title}`,
            text: `${f.actor} approved “${f.title}”; it goes online at its scheduled time.\n\nSee it: ${f.link}${sign}`,
          }
        : {
            subject: `Published: ${f.title}`,
            text: `${f.actor} approved and published “${f.title}”.\n\nSee it: ${f.link}${sign}`,
          };
  }
};

const TEXTS: Record<string, Texts> = { vi, en };

/** The notice in `language` (BCP 47; `vi-VN` is `vi`), Vietnamese when there is none. */
export function noticeText(language: string, facts: NoticeFacts) {
  const primary = language.toLowerCase().split(/[-_]/)[0] ?? "";
  return (TEXTS[primary] ?? vi)(facts);
}
