/**
 * The article page with a conversation under it: an article with 200
 * approved replies against one with none, on the same server in the same
 * run. The page is rendered once per change and served from the render
 * cache either way, so the two should be within a few percent.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { openStorage } from "../../src/storage/open.ts";
import { generateContent } from "../harness/articles.ts";
import type { Context } from "../harness/context.ts";
import { figure } from "../harness/report.ts";
import { startLoa } from "../harness/server.ts";
import { type Cell, measureCell, probe, warmUp } from "./cells.ts";

export const REPLIES = 200;

export interface ConversationResult {
  replies: number;
  /** As browsers and link-preview fetchers ask: gzip. */
  withReplies: Cell | null;
  without: Cell | null;
  /** Uncompressed, as wrk asks by default: mostly a measure of copying 18× the bytes. */
  withRepliesIdentity: Cell | null;
  withoutIdentity: Cell | null;
  /** Page sizes in bytes, uncompressed and gzip. */
  bytes: { withReplies: number; without: number; withRepliesGzip: number; withoutGzip: number };
}

async function seedReplies(dataDir: string, slug: string): Promise<void> {
  const storage = await openStorage({ dataDir, databaseUrl: undefined });
  try {
    const now = Date.UTC(2026, 0, 2);
    for (let i = 0; i < REPLIES; i++) {
      const host = `social${i % 40}.example`;
      await storage.store.putInteraction({
        id: `https://${host}/notes/${i}`,
        kind: "reply",
        author: {
          actorId: `https://${host}/users/u${i}`,
          name: `Người dân ${i}`,
          handle: `@u${i}@${host}`,
          avatarUrl: `https://${host}/avatars/${i}.png`,
          profileUrl: `https://${host}/@u${i}`,
        },
        slug,
        inReplyTo:
          i % 5 === 0 || i === 0 ? null : `https://social${(i - 1) % 40}.example/notes/${i - 1}`,
        url: `https://${host}/@u${i}/${i}`,
        language: "vi",
        html: `<p>Ý kiến số ${i} về bài viết: cảm ơn thị xã đã thông tin kịp thời.</p>`,
        visibility: "public",
        state: "approved",
        published: new Date(now + i * 60_000),
        updated: null,
        receivedAt: new Date(now + i * 60_000),
      });
    }
  } finally {
    await storage.close();
  }
}

/** The size on the wire of the gzip variant (fetch decodes the body, so its declared length). */
async function gzipBytes(origin: string, path: string): Promise<number> {
  const res = await fetch(new URL(path, origin), { headers: { "Accept-Encoding": "gzip" } });
  await res.arrayBuffer();
  return Number(res.headers.get("content-length") ?? Number.NaN);
}

export async function runConversation(ctx: Context): Promise<ConversationResult> {
  const dir = join(ctx.workDir, "conversation");
  await mkdir(dir, { recursive: true });
  const content = await generateContent(join(dir, "content"), 10);
  const [talked, quiet] = content.slugs;
  if (!talked || !quiet) throw new Error("conversation: the generated site has too few articles");
  const dataDir = join(dir, "data");
  await mkdir(dataDir, { recursive: true });
  ctx.log(`conversation: ${REPLIES} approved replies under /articles/${talked}; starting Loa`);
  // The store exists before the server: seed it first, as a town with history would have.
  const first = await startLoa({
    contentDir: content.dir,
    keysDir: ctx.keysDir,
    dataDir,
    workDir: dir,
    label: "conversation-seed",
  });
  await first.stop();
  await seedReplies(dataDir, talked);
  const loa = await startLoa({
    contentDir: content.dir,
    keysDir: ctx.keysDir,
    dataDir,
    workDir: dir,
    label: "conversation",
  });
  try {
    await loa.steady();
    const target = { name: "loa", origin: loa.origin };
    const withPath = `/articles/${talked}`;
    const withoutPath = `/articles/${quiet}`;
    const page = await (await fetch(new URL(withPath, loa.origin))).text();
    if (!page.includes(`Ý kiến số ${REPLIES - 1}`)) {
      throw new Error("conversation: the article page does not show the seeded replies");
    }
    await warmUp(ctx, target, [withPath, withoutPath]);
    const gzip = { "Accept-Encoding": "gzip" };
    const duration = ctx.options.durationS;
    const withReplies = await measureCell(ctx, target, withPath, "200", duration, gzip);
    const without = await measureCell(ctx, target, withoutPath, "200", duration, gzip);
    const withRepliesIdentity = await measureCell(ctx, target, withPath, "200");
    const withoutIdentity = await measureCell(ctx, target, withoutPath, "200");
    ctx.figures.push(
      figure({
        section: "conversation",
        name: `article page with ${REPLIES} replies, gzip req/s`,
        unit: "req/s",
        value: withReplies?.rps ?? null,
        baselineName: "same page, no replies",
        baseline: without?.rps,
        target: {
          text: "≥ 0.9× the page without replies",
          test: (_v, ratio) => (ratio ?? 0) >= 0.9,
        },
      }),
      figure({
        section: "conversation",
        name: `article page with ${REPLIES} replies, uncompressed req/s`,
        unit: "req/s",
        value: withRepliesIdentity?.rps ?? null,
        baselineName: "same page, no replies",
        baseline: withoutIdentity?.rps,
      }),
    );
    return {
      replies: REPLIES,
      withReplies,
      without,
      withRepliesIdentity,
      withoutIdentity,
      bytes: {
        withReplies: (await probe(loa.origin, withPath)).bytes,
        without: (await probe(loa.origin, withoutPath)).bytes,
        withRepliesGzip: await gzipBytes(loa.origin, withPath),
        withoutGzip: await gzipBytes(loa.origin, withoutPath),
      },
    };
  } finally {
    await loa.stop();
  }
}
