import { setTimeout as sleep } from "node:timers/promises";
import type { FanoutReceiver } from "../fanout/receiver-process.ts";
import { articleParts } from "../harness/articles.ts";
import type { Context } from "../harness/context.ts";
import { waitForIdle } from "../harness/processes.ts";
import type { LoaServer } from "../harness/server.ts";
import { loginEditor } from "./editor.ts";

/** One publish through the article form: how long until readers and followers had it. */
export interface PublishRun {
  /** POST answered (the store's transaction and the reload it starts). */
  answeredMs: number;
  /** POST sent → the article page answers 200. */
  pageMs: number | null;
  /** POST sent → the first delivery reaches the follower's inbox. */
  deliveryMs: number | null;
  /** Signatures the inbox verified / rejected in this run. */
  verified: number;
  rejected: number;
}

const wallNow = () => performance.timeOrigin + performance.now();

/**
 * Publishes `runs` new articles one after another through the real HTTP
 * route, as an editor, each time polling the article page and the follower's
 * inbox (bounded: 60 s each).
 */
export async function timePublishes(
  ctx: Context,
  loa: LoaServer,
  receiver: FanoutReceiver,
  runs: number,
  /** Each run is pushed here as it ends, so a later failure keeps the earlier runs. */
  out: PublishRun[] = [],
): Promise<PublishRun[]> {
  const editor = await loginEditor(loa.origin);
  for (let i = 0; i < runs; i++) {
    await waitForIdle(loa.child.pid, { windowMs: 250, timeoutMs: 30_000 });
    await receiver.reset();
    const slug = `tin-moi-${process.pid}-${i}`;
    const page = new URL(`/articles/${slug}`, loa.origin);
    const p = articleParts(90_000 + i, `Tin mới số ${i + 1}`);
    const t0 = wallNow();
    await editor.publish(slug, p.title, p.body);
    const answeredMs = wallNow() - t0;
    let pageMs: number | null = null;
    while (pageMs === null && wallNow() - t0 < 60_000) {
      // A server busy reloading may take long to answer: that is what is measured.
      // A connection the busy server drops is tried again, as a reader's browser would.
      const status = await fetch(page, { signal: AbortSignal.timeout(60_000) }).then(
        async (res) => {
          await res.arrayBuffer();
          return res.status;
        },
        () => null,
      );
      if (status === 200) pageMs = wallNow() - t0;
      else await sleep(5);
    }
    let stats = await receiver.stats();
    while (stats.deliveries === 0 && wallNow() - t0 < 60_000) {
      await sleep(10);
      stats = await receiver.stats();
    }
    const deliveryMs = stats.firstAt === null ? null : stats.firstAt - t0;
    const run = {
      answeredMs,
      pageMs,
      deliveryMs,
      verified: stats.verified,
      rejected: stats.rejected,
    };
    const ms = (v: number | null) => (v === null ? "—" : `${Math.round(v)} ms`);
    ctx.log(
      `  publish ${i + 1}/${runs}: answered ${ms(answeredMs)}, page ${ms(pageMs)}, first delivery ${ms(deliveryMs)} (signatures ${stats.verified} ok, ${stats.rejected} rejected)`,
    );
    out.push(run);
  }
  return out;
}

/** The median of the values present, or null. */
export function median(values: readonly (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1
    ? (v[mid] as number)
    : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}
