/** The HTML pages: pure functions from site and articles to a document string. */
export { type ArticlePageInput, renderArticlePage } from "./article-page.ts";
export { type ConversationInput, renderConversation, renderReply } from "./conversation.ts";
export {
  type ErrorPageInput,
  renderErrorPage,
  renderGonePage,
  renderNotFoundPage,
} from "./error-pages.ts";
export { type IndexPageInput, renderIndexPage } from "./index-page.ts";
export { PAGE_CSP, PAGE_CSS } from "./style.ts";
export { renderTagsPage, type TagsPageInput } from "./tags-page.ts";
