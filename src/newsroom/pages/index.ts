/** The newsroom's pages: pure functions from data to a document string, and their policy. */
export { type AuditFilters, type AuditPageInput, renderAudit } from "./audit.ts";
export { type BlocksPageInput, renderBlocks } from "./blocks.ts";
export {
  COMMENT_START_CHARS,
  type DashboardArticle,
  type DashboardInput,
  type DashboardList,
  renderDashboard,
} from "./dashboard.ts";
export { type DeliveriesPageInput, renderDeliveries } from "./deliveries.ts";
export {
  type FollowerEntry,
  type FollowerServer,
  type FollowersPageInput,
  renderFollowers,
} from "./followers.ts";
export {
  type NewsroomSection,
  renderNewsroomLayout,
  type StaffPageInput,
  type Viewer,
} from "./layout.ts";
export { type LoginError, type LoginPageInput, renderLogin } from "./login.ts";
export { ALT_MAX_LENGTH, type MediaPageInput, renderMedia } from "./media.ts";
export { type MentionsPageInput, renderMentions } from "./mentions.ts";
export {
  ARTICLE_PATHS,
  CSRF_FIELD,
  CURSOR_PARAM,
  NEWSROOM_ASSETS,
  NEWSROOM_PATHS,
  nextPageHref,
  PASSWORD_LINK_PREFIX,
  passwordLinkPath,
} from "./paths.ts";
export { type QueuePageInput, renderQueue } from "./queue.ts";
export {
  type LinkIssuedInput,
  type LinkRefusal,
  type PasswordFormError,
  type PasswordFormInput,
  ROLE_LABELS,
  renderLinkIssued,
  renderLinkRefused,
  renderPasswordForm,
  renderStaff,
  type StaffListInput,
} from "./staff.ts";
export { EDITOR_CSP, FRAMED_PAGE_CSP, NEWSROOM_CSP, NEWSROOM_CSS, PREVIEW_CSP } from "./style.ts";
