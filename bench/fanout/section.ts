import postgres from "postgres";
import type { Context } from "../harness/context.ts";
import { type BareRun, bareOnce } from "./bare-run.ts";
import { addFanoutFigures } from "./figures.ts";
import { type FanoutRun, fanoutOnce } from "./loa-run.ts";
import { startReceiver } from "./receiver-process.ts";
import { measureSigning, type SigningCeiling } from "./signing-ceiling.ts";

export type { BareRun } from "./bare-run.ts";
export { addFanoutFigures } from "./figures.ts";
export type { FanoutRun } from "./loa-run.ts";

export interface FanoutResult {
  ceiling: SigningCeiling;
  runs: FanoutRun[];
  /** The worst case's bare baseline (Node's fetch and signing, no queue), per repetition. */
  bare?: BareRun[];
  skipped: string[];
}

/** Requests the bare baseline keeps in flight (Loa's default QUEUE_WORKERS). */
const BARE_CONCURRENCY = 256;

/** The fediverse case's inboxes answer after a delay drawn from this range (ms). */
export const ANSWER_MS: [number, number] = [50, 300];

/** Whether a PostgreSQL server answers at `url`. */
async function postgresUp(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  try {
    await sql`SELECT 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * (a) The worst case: one new article to `followers` followers, each on its
 * own server, answering at once (SQLite, and PostgreSQL when it answers).
 * (b) The fediverse case: `fediFollowers` on `fediServers` servers with one
 * shared inbox each, answering after 50–300 ms, a share of them dead (half
 * refuse connections, half never answer); and the same live servers without
 * the dead ones, to show what those cost. Each beside the RSA-2048 signing
 * ceiling measured now; every case `repeat` times.
 */
export async function runFanout(ctx: Context): Promise<FanoutResult> {
  const { followers, fediFollowers, fediServers, deadShare, repeat, cases } = ctx.options;
  ctx.log("fanout: measuring the signing ceiling (RSA-2048, one core)");
  const ceiling = measureSigning(ctx.options.quick ? 500 : 2_000);
  ctx.log(
    `  ${Math.round(ceiling.signsPerSecondPerCore)} signs/s/core × ${ceiling.cores} = ${Math.round(ceiling.signsPerSecond)} signs/s`,
  );
  const runs: FanoutRun[] = [];
  const bare: BareRun[] = [];
  const skipped: string[] = [];
  if (cases.includes("worst")) {
    const backends: ("sqlite" | "postgres")[] = ["sqlite"];
    if (!ctx.options.noPostgres) {
      if (await postgresUp(ctx.options.postgresUrl)) backends.push("postgres");
      else skipped.push(`postgres: no server answers at ${ctx.options.postgresUrl}`);
    }
    const receiver = await startReceiver(ctx.workDir, "worst", {
      live: followers,
      sampleEvery: followers >= 1000 ? 100 : 10,
    });
    try {
      for (const backend of backends) {
        for (let r = 1; r <= repeat; r++) {
          ctx.log(`fanout: ${backend}, ${followers} followers each on its own server (${r})`);
          runs.push(
            await fanoutOnce(ctx, {
              case: "worst",
              repeat: r,
              backend,
              receiver,
              followers,
              servers: receiver.live,
              shared: false,
            }),
          );
        }
      }
      for (let r = 1; r <= repeat; r++) {
        ctx.log(
          `fanout: bare baseline (Node's fetch and crypto.sign, ${ceiling.cores} threads, ${BARE_CONCURRENCY} in flight, no queue) (${r})`,
        );
        const inboxes = receiver.live.map((origin, k) => `${origin}/u/${k}/inbox`);
        const run = await bareOnce(ctx, receiver, inboxes, ceiling.cores, BARE_CONCURRENCY, `${r}`);
        if (run) bare.push(run);
      }
    } finally {
      await receiver.stop();
    }
  }
  if (cases.includes("fediverse")) {
    const dead = Math.round(fediServers * deadShare);
    const hang = Math.floor(dead / 2);
    const receiver = await startReceiver(ctx.workDir, "fediverse", {
      live: fediServers - dead,
      hang,
      refuse: dead - hang,
      answerMs: ANSWER_MS,
      sampleEvery: 10,
    });
    const all = [...receiver.live, ...receiver.hanging, ...receiver.refused];
    // Spread so that dead servers' followers sit among the live ones'.
    const servers = all.map((_, i) => all[(i * 7919) % all.length] as string);
    const share = Math.round((receiver.live.length / fediServers) * fediFollowers);
    try {
      for (let r = 1; r <= repeat; r++) {
        ctx.log(
          `fanout: sqlite, ${fediFollowers} followers on ${fediServers} servers (shared inboxes, ${ANSWER_MS.join("–")} ms, ${dead} dead: ${dead - hang} refuse, ${hang} hang) (${r})`,
        );
        runs.push(
          await fanoutOnce(ctx, {
            case: "fediverse",
            repeat: r,
            backend: "sqlite",
            receiver,
            followers: fediFollowers,
            servers,
            shared: true,
          }),
        );
        ctx.log(`fanout: the same ${receiver.live.length} live servers without the dead (${r})`);
        runs.push(
          await fanoutOnce(ctx, {
            case: "fediverse-control",
            repeat: r,
            backend: "sqlite",
            receiver,
            followers: share,
            servers: receiver.live,
            shared: true,
          }),
        );
      }
    } finally {
      await receiver.stop();
    }
  }
  for (const s of skipped) ctx.log(`  skipped ${s}`);
  addFanoutFigures(ctx, ceiling, runs, bare);
  return { ceiling, runs, bare, skipped };
}
