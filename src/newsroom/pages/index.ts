/** The newsroom's pages: pure functions from data to a document string, and their policy. */
export { type AuditFilters, type AuditPageInput, renderAudit } from "./audit.ts";
export { type BlocksPageInput, renderBlocks } from "./blocks.ts";
export { type DeliveriesPageInput, renderDeliveries } from "./deliveries.ts";
export {
  type FollowerEntry,
  type FollowerServer,
  type FollowersPageInput,
  renderFollowers,
} from "./followers.ts";
export { type NewsroomSection, renderNewsroomLayout, type StaffPageInput } from "./layout.ts";
export { type LoginError, type LoginPageInput, renderLogin } from "./login.ts";
export { ALT_MAX_LENGTH, type MediaPageInput, renderMedia } from "./media.ts";
export { type MentionsPageInput, renderMentions } from "./mentions.ts";
export { CSRF_FIELD, CURSOR_PARAM, NEWSROOM_PATHS, nextPageHref } from "./paths.ts";
export { type QueuePageInput, renderQueue } from "./queue.ts";
export { NEWSROOM_CSP, NEWSROOM_CSS } from "./style.ts";
