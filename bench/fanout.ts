import postgres from "postgres";
import type { Context } from "./context.ts";
import { startReceiver } from "./fanout-receiver.ts";
import { type BareRun, bareOnce, type FanoutRun, fanoutOnce } from "./fanout-run.ts";
import { type Figure, figure } from "./report.ts";
import { measureSigning, type SigningCeiling } from "./signing.ts";

export type { BareRun, FanoutRun } from "./fanout-run.ts";

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
/** Every live server of the fediverse case must have the article within this (ms). */
export const ARRIVAL_TARGET_MS = 3_000;
/** The worst case's target, as a share of the two-core signing ceiling. */
export const WORST_TARGET = 0.35;

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

const n = (v: number) => v.toLocaleString("en-US");

function bareFigures(ceiling: SigningCeiling, b: BareRun, i: number): Figure[] {
  const name = `bare fan-out (Node's fetch and crypto.sign, no queue) to ${n(b.expected)} servers (${i + 1})`;
  return [
    figure({
      section: "fanout",
      name: `${name}: deliveries/s`,
      unit: "/s",
      value: b.delivered === b.expected ? b.rate : null,
      baselineName: `signing ceiling (×${ceiling.cores})`,
      baseline: ceiling.signsPerSecond,
    }),
    figure({
      section: "fanout",
      name: `${name}: sender CPU per delivery`,
      unit: "ms",
      value: b.cpuS !== null && b.delivered > 0 ? (1000 * b.cpuS) / b.delivered : null,
      baselineName: "one signature",
      baseline: 1000 / ceiling.signsPerSecondPerCore,
    }),
  ];
}

function worstFigures(ceiling: SigningCeiling, r: FanoutRun, bare: BareRun | undefined): Figure[] {
  const name = `fan-out ${r.backend} ${n(r.followers)} followers on ${n(r.servers)} servers (${r.repeat})`;
  const cpuMs =
    r.serverCpuS !== null && r.delivered > 0 ? (1000 * r.serverCpuS) / r.delivered : null;
  return [
    figure({
      section: "fanout",
      name: `${name}: file → last delivery`,
      unit: "ms",
      value: r.totalMs,
    }),
    figure({ section: "fanout", name: `${name}: first delivery`, unit: "ms", value: r.firstMs }),
    figure({
      section: "fanout",
      name: `${name}: deliveries/s`,
      unit: "/s",
      value: r.rate,
      baselineName: `signing ceiling (×${ceiling.cores})`,
      baseline: ceiling.signsPerSecond,
      target: {
        text: `≥ ${WORST_TARGET}× ceiling`,
        test: (_, ratio) => ratio !== null && ratio >= WORST_TARGET,
      },
    }),
    ...(bare
      ? [
          figure({
            section: "fanout",
            name: `${name}: deliveries/s`,
            unit: "/s",
            value: r.rate,
            baselineName: "bare fan-out",
            baseline: bare.delivered === bare.expected ? bare.rate : null,
          }),
        ]
      : []),
    figure({
      section: "fanout",
      name: `${name}: server CPU per delivery`,
      unit: "ms",
      value: cpuMs,
      baselineName: "one signature",
      baseline: 1000 / ceiling.signsPerSecondPerCore,
    }),
    figure({
      section: "fanout",
      name: `${name}: signatures verified (sample)`,
      unit: "",
      value: r.receiver.verified,
      baselineName: "sampled",
      baseline: r.receiver.verified + r.receiver.rejected,
      target: { text: "all verify", test: (v) => r.receiver.rejected === 0 && v > 0 },
    }),
  ];
}

function fediverseFigures(
  ceiling: SigningCeiling,
  r: FanoutRun,
  control: FanoutRun | undefined,
): Figure[] {
  const name = `fan-out ${n(r.followers)} followers on ${n(r.servers)} servers, ${r.deadServers} dead (${r.repeat})`;
  const a = r.arrivals;
  const c = control?.arrivals;
  const vs = control ? `no dead servers` : undefined;
  return [
    figure({
      section: "fanout",
      name: `${name}: live servers reached`,
      unit: "",
      value: a.reached,
      baselineName: "live",
      baseline: a.of,
      target: { text: "all", test: (v) => v === a.of },
    }),
    figure({
      section: "fanout",
      name: `${name}: arrival p50`,
      unit: "ms",
      value: a.p50,
      ...(vs ? { baselineName: vs, baseline: c?.p50 ?? null } : {}),
    }),
    figure({
      section: "fanout",
      name: `${name}: arrival p99`,
      unit: "ms",
      value: a.p99,
      ...(vs ? { baselineName: vs, baseline: c?.p99 ?? null } : {}),
    }),
    figure({
      section: "fanout",
      name: `${name}: last live arrival`,
      unit: "ms",
      value: a.reached === a.of ? a.max : null,
      ...(vs ? { baselineName: vs, baseline: c?.max ?? null } : {}),
      target: { text: `≤ ${n(ARRIVAL_TARGET_MS)} ms`, test: (v) => v <= ARRIVAL_TARGET_MS },
    }),
    figure({
      section: "fanout",
      name: `${name}: ${a.of} signatures on ${ceiling.cores} cores`,
      unit: "ms",
      value: (1000 * a.of) / ceiling.signsPerSecond,
    }),
    figure({
      section: "fanout",
      name: `${name}: server CPU`,
      unit: "s",
      value: r.serverCpuS,
      ...(vs ? { baselineName: vs, baseline: control?.serverCpuS ?? null } : {}),
    }),
    figure({
      section: "fanout",
      name: `${name}: signatures verified (sample)`,
      unit: "",
      value: r.receiver.verified,
      baselineName: "sampled",
      baseline: r.receiver.verified + r.receiver.rejected,
      target: { text: "all verify", test: (v) => r.receiver.rejected === 0 && v > 0 },
    }),
  ];
}

/** Figures for the table (exported so a saved result can be re-tabled). */
export function addFanoutFigures(
  ctx: Context,
  ceiling: SigningCeiling,
  runs: readonly FanoutRun[],
  bare: readonly BareRun[] = [],
): void {
  ctx.figures.push(
    figure({
      section: "signing",
      name: "RSA-2048 signs/s (one core)",
      unit: "/s",
      value: ceiling.signsPerSecondPerCore,
    }),
  );
  for (const r of runs) {
    if (r.case === "worst") ctx.figures.push(...worstFigures(ceiling, r, bare[r.repeat - 1]));
    else if (r.case === "fediverse") {
      const control = runs.find((c) => c.case === "fediverse-control" && c.repeat === r.repeat);
      ctx.figures.push(...fediverseFigures(ceiling, r, control));
    }
  }
  bare.forEach((b, i) => {
    ctx.figures.push(...bareFigures(ceiling, b, i));
  });
}
