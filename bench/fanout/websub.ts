/**
 * WebSub distribution: one new article pushed to N subscribers of `/atom.xml`
 * (each with a secret, so every push is signed), timed from the article file
 * appearing to the last push received. The subscribers are one loopback HTTP
 * server in the bench process (distinct callback paths), which checks every
 * signature. Subscriptions are written to the store while the server is
 * stopped, as the fan-out section writes followers: this times distribution,
 * not N verifications of intent.
 */
import { createHmac } from "node:crypto";
import { rename, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { openStorage } from "../../src/storage/open.ts";
import { articleMarkdown, generateContent } from "../harness/articles.ts";
import type { Context } from "../harness/context.ts";
import { cpuSeconds, waitForIdle } from "../harness/processes.ts";
import { figure } from "../harness/report.ts";
import { startLoa } from "../harness/server.ts";

export interface WebSubResult {
  subscribers: number;
  received: number;
  badSignatures: number;
  /** Article file appearing → first push. */
  firstMs: number | null;
  /** Article file appearing → last push. */
  totalMs: number | null;
  serverCpuS: number | null;
}

const SECRET = "bench-secret";
const wallNow = () => performance.timeOrigin + performance.now();

export async function runWebSub(ctx: Context): Promise<WebSubResult> {
  const subscribers = ctx.options.quick ? 200 : 1000;
  const dir = join(ctx.workDir, "websub");
  const content = await generateContent(join(dir, "content"), 50);
  const dataDir = join(dir, "data");
  const base = {
    contentDir: content.dir,
    keysDir: ctx.keysDir,
    dataDir,
    workDir: dir,
    env: { WEBSUB_MAX_PER_HOST: String(subscribers) },
  };

  const pushes: number[] = [];
  let badSignatures = 0;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const expected = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
      if (req.headers["x-hub-signature"] !== expected) badSignatures++;
      pushes.push(wallNow());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const port = (receiver.address() as AddressInfo).port;
  try {
    // First start: the feeds' ETags are recorded as distributed (to nobody).
    const first = await startLoa({ ...base, label: "websub-prime" });
    await waitForIdle(first.child.pid);
    const topic = `${first.origin}/atom.xml`;
    await first.stop();

    const storage = await openStorage({ dataDir, databaseUrl: undefined });
    try {
      const now = new Date();
      for (let k = 0; k < subscribers; k++) {
        await storage.store.putSubscription({
          topic,
          callback: `http://127.0.0.1:${port}/cb/${k}`,
          secret: SECRET,
          leaseSeconds: 86_400,
          expiresAt: new Date(now.getTime() + 86_400_000),
          createdAt: now,
        });
      }
    } finally {
      await storage.close();
    }

    const loa = await startLoa({ ...base, label: "websub", port: Number(new URL(topic).port) });
    try {
      if (new URL(topic).origin !== loa.origin) {
        throw new Error(`the second start took another port (${loa.origin}); topics differ`);
      }
      await waitForIdle(loa.child.pid);
      const staging = join(dir, "new.md.tmp");
      await writeFile(
        staging,
        articleMarkdown(99_999, new Date(Date.now() - 1_000), "Tin mới: WebSub"),
      );
      const cpu0 = await cpuSeconds(loa.child.pid);
      const t0 = wallNow();
      await rename(staging, join(content.dir, "articles", "tin-moi-websub.md"));
      const deadline = t0 + 120_000;
      while (pushes.length < subscribers && wallNow() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const cpu1 = await cpuSeconds(loa.child.pid);
      const done = pushes.length >= subscribers;
      const result: WebSubResult = {
        subscribers,
        received: pushes.length,
        badSignatures,
        firstMs: pushes[0] !== undefined ? pushes[0] - t0 : null,
        totalMs: done ? (pushes[subscribers - 1] as number) - t0 : null,
        serverCpuS: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
      };
      ctx.log(
        `websub: ${result.received}/${subscribers} pushes, first ${result.firstMs?.toFixed(0)} ms, ` +
          `last ${result.totalMs?.toFixed(0) ?? "—"} ms, ${badSignatures} bad signatures`,
      );
      ctx.figures.push(
        figure({
          section: "websub",
          name: `distribution to ${subscribers} subscribers (write → last push)`,
          unit: "ms",
          value: result.totalMs,
          target: { text: "≤ 10,000 ms", test: (v) => v <= 10_000 },
        }),
      );
      return result;
    } finally {
      await loa.stop();
    }
  } finally {
    await new Promise<void>((r) => receiver.close(() => r()));
  }
}
