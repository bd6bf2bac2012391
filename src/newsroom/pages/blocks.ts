/** `/admin/blocks`: the blocked accounts and servers, to block more or lift a block. */
import { html } from "hono/html";
import type { Block, BlockKind } from "../../storage/interactions.ts";
import { postForm } from "./forms.ts";
import { timeTag } from "./labels.ts";
import { renderNewsroomLayout, type StaffPageInput } from "./layout.ts";
import { CSRF_FIELD, NEWSROOM_PATHS } from "./paths.ts";

/** What {@link renderBlocks} needs. */
export interface BlocksPageInput extends StaffPageInput {
  /** Every block, in the order to show them. */
  blocks: readonly Block[];
}

const KIND_LABELS: Readonly<Record<BlockKind, string>> = {
  actor: "Tài khoản",
  domain: "Máy chủ",
};

/** The block list with an unblock form per entry, and forms to add a block by hand. */
export function renderBlocks(input: BlocksPageInput): string {
  const { site, csrfToken, blocks } = input;
  return renderNewsroomLayout({
    site,
    title: "Danh sách chặn",
    csrfToken,
    current: "blocks",
    notice: input.notice,
    viewer: input.viewer,
    body: html`<p class="muted">Không nhận gì từ tài khoản hay máy chủ bị chặn, và không gửi gì tới đó; người theo dõi và phản hồi của họ bị gỡ.</p>
<form class="add" method="post" action="${NEWSROOM_PATHS.blockDomain}"><input type="hidden" name="${CSRF_FIELD}" value="${csrfToken}">
<label for="block-domain">Chặn máy chủ (tên miền, kèm cổng nếu không phải cổng mặc định)</label>
<input id="block-domain" name="domain" type="text" inputmode="url" autocapitalize="none" spellcheck="false" required placeholder="social.example">
<button type="submit" class="danger">Chặn máy chủ</button></form>
<form class="add" method="post" action="${NEWSROOM_PATHS.blockActor}"><input type="hidden" name="${CSRF_FIELD}" value="${csrfToken}">
<label for="block-actor">Chặn tài khoản (địa chỉ URL của tài khoản)</label>
<input id="block-actor" name="actor" type="url" autocapitalize="none" spellcheck="false" required placeholder="https://social.example/users/ten">
<button type="submit" class="danger">Chặn tài khoản</button></form>
<h2>Đang chặn</h2>
${
  blocks.length === 0
    ? html`<p>Chưa chặn tài khoản hay máy chủ nào.</p>`
    : html`<ul class="items">
${blocks.map(
  (block) => html`<li><p>${KIND_LABELS[block.kind]}: <strong>${block.value}</strong></p>
<p class="muted">Chặn lúc ${timeTag(block.createdAt, site.timezone)}${block.by ? html` bởi ${block.by}` : ""}</p>
${postForm({ action: NEWSROOM_PATHS.unblock, csrfToken, fields: { kind: block.kind, value: block.value }, label: "Bỏ chặn" })}</li>\n`,
)}</ul>`
}`,
  });
}
