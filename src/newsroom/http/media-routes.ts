/**
 * `/admin/media`: the picture library, uploads and alt text. An upload is
 * processed (`media/process.ts`) before anything is stored: a refused file
 * leaves no trace; the form comes back with the reason and its alt text.
 */
import { randomBytes } from "node:crypto";
import { getLogger } from "@logtape/logtape";
import type { Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isPictureId } from "../../media/picture.ts";
import { MAX_UPLOAD_BYTES, processPicture } from "../../media/process.ts";
import { ALT_MAX_LENGTH, CURSOR_PARAM, NEWSROOM_PATHS, renderMedia } from "../pages/index.ts";
import type { CookieJar } from "./cookies.ts";
import type { NewsroomDeps, NewsroomEnv } from "./deps.ts";
import { sessionOf, signedOut } from "./guard.ts";
import { clientAddress, noticeOf, refuse, seeOther } from "./respond.ts";

const logger = getLogger(["loa", "web", "newsroom", "media"]);

/** Pictures on one page of the library. */
export const MEDIA_PAGE_SIZE = 24;
/** The upload's body: the picture and the form around it (boundaries, token, alt text). */
export const UPLOAD_MAX_BYTES = MAX_UPLOAD_BYTES + 64 * 1024;

const TOO_LARGE =
  "Tệp lớn hơn 20 MB nên không được nhận. Xin chọn ảnh nhỏ hơn (hoặc thu nhỏ ảnh) rồi tải lên lại. Không có gì được lưu.";

/**
 * In front of the upload, before the newsroom's guard reads the body: a
 * stranger without a session is answered before a byte is buffered, and a
 * staff member's body is cut at {@link UPLOAD_MAX_BYTES} (413) while it
 * streams in, whatever its `Content-Length` says.
 */
export function uploadLimit(deps: NewsroomDeps, jar: CookieJar) {
  const limit = bodyLimit({
    maxSize: UPLOAD_MAX_BYTES,
    onError: (c) => {
      logger.info("Refused an upload over {max} bytes from {address}", {
        max: UPLOAD_MAX_BYTES,
        address: clientAddress(c),
      });
      return refuse(c, deps, 413, TOO_LARGE);
    },
  });
  return async (c: Context<NewsroomEnv>, next: () => Promise<void>) => {
    if ((await sessionOf(c, deps, jar)) === null) return signedOut(c, jar, false);
    return limit(c, next);
  };
}

/** Alt text as stored: one line of plain text, without control characters, trimmed. */
export function cleanAlt(value: string | undefined): string {
  return (value ?? "")
    .replace(/\p{Cc}+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function checkAlt(alt: string): string | null {
  if (alt === "") {
    return "Cần mô tả ảnh: người không nhìn thấy ảnh nghe mô tả này thay cho ảnh, và ảnh không có mô tả không dùng được trong bài viết.";
  }
  if (alt.length > ALT_MAX_LENGTH) {
    return `Mô tả ảnh dài quá ${ALT_MAX_LENGTH} ký tự. Xin viết ngắn lại.`;
  }
  return null;
}

/** "«A», «B»": the articles' titles as a refusal names them. */
const titlesOf = (articles: readonly { title: string }[]) =>
  articles.map((a) => `«${a.title}»`).join(", ");

/** Registers the library, the upload, the alt text form and deletion. */
export function mediaRoutes(app: Hono<NewsroomEnv>, deps: NewsroomDeps): void {
  const { store } = deps;

  const library = async (
    c: Context<NewsroomEnv>,
    status: ContentfulStatusCode = 200,
    refused?: { error: string; alt: string },
  ) => {
    const cursor = status === 200 ? (c.req.query(CURSOR_PARAM) ?? null) : null;
    const page = await store.listPictures({ cursor, limit: MEDIA_PAGE_SIZE });
    return c.html(
      renderMedia({
        site: deps.content.current().site,
        csrfToken: c.get("session").csrfToken,
        viewer: c.get("viewer"),
        notice: status === 200 ? noticeOf(c) : undefined,
        pictures: page.items,
        next: page.next ?? undefined,
        ...(refused ?? {}),
      }),
      status,
    );
  };

  app.get(NEWSROOM_PATHS.media, (c) => library(c));

  app.post(NEWSROOM_PATHS.media, async (c) => {
    const session = c.get("session");
    // The guard parsed the form already (Hono keeps it): the file is its one non-text field.
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const file = body.file;
    const alt = cleanAlt(c.get("form").alt);
    const altProblem = checkAlt(alt);
    if (altProblem !== null) return library(c, 400, { error: altProblem, alt });
    if (!(file instanceof File) || file.size === 0) {
      return library(c, 400, { error: "Chưa chọn tệp ảnh, hoặc tệp rỗng.", alt });
    }
    if (file.size > MAX_UPLOAD_BYTES) return library(c, 413, { error: TOO_LARGE, alt });
    const result = await processPicture(new Uint8Array(await file.arrayBuffer()));
    if (!result.ok) {
      logger.info("Refused an upload by {username}: {reason}", {
        username: session.username,
        reason: result.reason,
      });
      await store.appendAudit({
        at: deps.clock(),
        actor: session.username,
        action: "media.upload",
        subject: null,
        outcome: "failed",
        address: clientAddress(c),
        detail: { reason: result.reason, bytes: file.size },
      });
      return library(c, 415, { error: result.reason, alt });
    }
    const id = randomBytes(8).toString("hex");
    // The picture and its record are one transaction.
    await store.putPicture(
      { id, alt, uploadedBy: session.username, createdAt: deps.clock(), ...result.picture },
      {
        at: deps.clock(),
        actor: session.username,
        action: "media.upload",
        subject: id,
        outcome: "ok",
        address: clientAddress(c),
        detail: {
          format: result.picture.format,
          width: result.picture.width,
          height: result.picture.height,
          alt,
        },
      },
    );
    logger.info("Staff {username} uploaded the picture {id} ({format}, {width}×{height})", {
      username: session.username,
      id,
      format: result.picture.format,
      width: result.picture.width,
      height: result.picture.height,
    });
    return seeOther(c, NEWSROOM_PATHS.media, "uploaded");
  });

  app.post(NEWSROOM_PATHS.mediaAlt, async (c) => {
    const session = c.get("session");
    const form = c.get("form");
    const alt = cleanAlt(form.alt);
    const problem = checkAlt(alt);
    if (problem !== null) return refuse(c, deps, 400, problem, session.csrfToken);
    const record = {
      at: deps.clock(),
      actor: session.username,
      action: "media.alt",
      subject: form.id ?? null,
      outcome: "ok" as const,
      address: clientAddress(c),
      detail: { alt },
    };
    if (!isPictureId(form.id) || !(await store.setPictureAlt(form.id, alt, record))) {
      return refuse(c, deps, 404, "Không có ảnh này. Không có gì thay đổi.", session.csrfToken);
    }
    logger.info("Staff {username} changed the alt text of {id}", {
      username: session.username,
      id: form.id,
    });
    return seeOther(c, NEWSROOM_PATHS.media, "alt-saved");
  });

  app.post(NEWSROOM_PATHS.mediaDelete, async (c) => {
    const session = c.get("session");
    const id = c.get("form").id;
    const missing = "Không có ảnh này. Không có gì bị xoá.";
    if (!isPictureId(id)) return refuse(c, deps, 404, missing, session.csrfToken);
    const entry = {
      at: deps.clock(),
      actor: session.username,
      action: "media.delete",
      subject: id,
      address: clientAddress(c),
    };
    const result = await store.deletePicture(id, { ...entry, outcome: "ok", detail: null });
    if (!result.ok && result.reason === "not-found") {
      return refuse(c, deps, 404, missing, session.csrfToken);
    }
    if (!result.ok) {
      const titles = titlesOf(result.articles);
      await store.appendAudit({
        ...entry,
        outcome: "failed",
        detail: { reason: "in-use", articles: result.articles.map((a) => a.id).join(",") },
      });
      logger.info("Refused to delete the picture {id}: used by {articles}", {
        id,
        articles: result.articles.map((a) => a.id),
      });
      const message =
        result.articles.length === 1
          ? `Ảnh đang được dùng trong bài viết ${titles}. Xin bỏ ảnh khỏi bài viết đó trước khi xoá. Không có gì bị xoá.`
          : `Ảnh đang được dùng trong các bài viết ${titles}. Xin bỏ ảnh khỏi các bài viết đó trước khi xoá. Không có gì bị xoá.`;
      return refuse(c, deps, 409, message, session.csrfToken);
    }
    logger.info("Staff {username} deleted the picture {id}", { username: session.username, id });
    return seeOther(c, NEWSROOM_PATHS.media, "picture-deleted");
  });
}
