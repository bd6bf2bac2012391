/** The articles' words: states, actions and what happened to a revision, as staff read them. */

/** Where an article stands (the contract's states), or a file's article (read-only here). */
export type ArticleState =
  | "draft"
  | "submitted"
  | "returned"
  | "scheduled"
  | "published"
  | "withdrawn";

export const ARTICLE_STATES: readonly ArticleState[] = [
  "draft",
  "submitted",
  "returned",
  "scheduled",
  "published",
  "withdrawn",
];

export const STATE_LABELS: Readonly<Record<ArticleState | "file", string>> = {
  draft: "Bản nháp",
  submitted: "Chờ duyệt",
  returned: "Trả lại",
  scheduled: "Hẹn giờ đăng",
  published: "Đã đăng",
  withdrawn: "Đã gỡ",
  file: "Soạn bằng tệp (chỉ xem)",
};

/** The form's buttons, as the contract names them in `action`. */
export type ArticleAction =
  | "save"
  | "submit"
  | "publish"
  | "unschedule"
  | "return"
  | "withdraw"
  | "republish";

export const ARTICLE_ACTIONS: readonly ArticleAction[] = [
  "save",
  "submit",
  "publish",
  "unschedule",
  "return",
  "withdraw",
  "republish",
];

export const ACTION_LABELS: Readonly<Record<ArticleAction, string>> = {
  save: "Lưu bản nháp",
  submit: "Gửi duyệt",
  publish: "Duyệt và đăng",
  unschedule: "Hủy hẹn giờ",
  return: "Trả lại cho người viết",
  withdraw: "Gỡ bài",
  republish: "Đăng lại",
};

/** What a revision went through, each with who and when. */
export type RevisionEvent =
  | "saved"
  | "submitted"
  | "returned"
  | "approved"
  | "published"
  | "scheduled"
  | "withdrawn"
  | "republished"
  | "restored";

export const EVENT_LABELS: Readonly<Record<RevisionEvent, string>> = {
  saved: "Lưu",
  submitted: "Gửi duyệt",
  returned: "Trả lại",
  approved: "Duyệt",
  published: "Đăng",
  scheduled: "Hẹn giờ đăng",
  withdrawn: "Gỡ bài",
  republished: "Đăng lại",
  restored: "Khôi phục",
};

/** The confirmation after a redirect, by the action that was done. */
export const ACTION_NOTICES: Readonly<Record<ArticleAction | "restore", string>> = {
  save: "Đã lưu bản nháp.",
  submit: "Đã gửi bài cho biên tập viên duyệt.",
  publish: "Đã duyệt: bài được đăng (hoặc sẽ được đăng vào giờ đã hẹn).",
  unschedule: "Đã hủy hẹn giờ: bài trở lại hàng chờ duyệt.",
  return: "Đã trả bài lại cho người viết, kèm nhận xét.",
  withdraw: "Đã gỡ bài: trang bài viết không còn hiện.",
  republish: "Đã đăng lại bài.",
  restore: "Đã khôi phục phiên bản cũ thành bản nháp mới nhất.",
};
