import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { openStorage } from "../../src/storage/open.ts";
import { articleMarkdown, generateContent } from "../harness/articles.ts";
import type { Context } from "../harness/context.ts";
import { cpuSeconds, machineCpu, waitForIdle } from "../harness/processes.ts";
import { startLoa } from "../harness/server.ts";
import type { ReceiverStats } from "./receiver.ts";
import type { FanoutReceiver } from "./receiver-process.ts";

/** Arrival of the article at the live servers, ms after the file appeared. */
export interface Arrivals {
  /** Live servers that had it by the end of the run, of `of`. */
  reached: number;
  of: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

/** One article to N followers on one backend. */
export interface FanoutRun {
  /** Which case (`worst`, `fediverse`, `fediverse-control`) and repetition. */
  case: string;
  repeat: number;
  backend: "sqlite" | "postgres";
  followers: number;
  /** Servers the followers live on (live and dead). */
  servers: number;
  deadServers: number;
  shared: boolean;
  expected: number;
  delivered: number;
  /** Article file appearing → last delivery. */
  totalMs: number | null;
  /** Article file appearing → first delivery (mostly the content watcher). */
  firstMs: number | null;
  /** Deliveries per second over `totalMs`. */
  rate: number | null;
  /** CPU seconds the server used from the article's appearance to the last delivery. */
  serverCpuS: number | null;
  /** … the receiver used then. */
  receiverCpuS: number | null;
  /** … every process of the machine used then (the bench, and whatever else runs), of `machineS`. */
  machineBusyS: number | null;
  machineS: number | null;
  arrivals: Arrivals;
  receiver: ReceiverStats;
}

export interface RunSpec {
  case: string;
  repeat: number;
  backend: "sqlite" | "postgres";
  receiver: FanoutReceiver;
  followers: number;
  /** Follower k lives on `servers[k % servers.length]`. */
  servers: string[];
  /** One shared inbox per server (Fedify sends once per server). */
  shared: boolean;
}

const wallNow = () => performance.timeOrigin + performance.now();

/** A fresh PostgreSQL database for one run; `drop()` removes it. */
async function freshDatabase(adminUrl: string, name: string) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end({ timeout: 5 });
    },
  };
}

function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? null;
}

function arrivalsOf(byHost: Record<string, number>, live: readonly string[], t0: number): Arrivals {
  const times = live
    .map((o) => byHost[new URL(o).host])
    .filter((t): t is number => t !== undefined)
    .map((t) => t - t0)
    .sort((a, b) => a - b);
  return {
    reached: times.length,
    of: live.length,
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    max: times.length > 0 ? (times[times.length - 1] ?? null) : null,
  };
}

/**
 * Primes a server (existing articles reconciled to nobody), seeds the
 * followers while it is stopped, starts it again, renames one new article into
 * `content/articles/` and waits, bounded, until every live inbox has it.
 */
export async function fanoutOnce(ctx: Context, o: RunSpec): Promise<FanoutRun> {
  const label = `${o.case}-${o.backend}-${o.repeat}`;
  const dir = join(ctx.workDir, `fanout-${label}`);
  const content = await generateContent(join(dir, "content"), 3);
  const dataDir = join(dir, "data");
  const db =
    o.backend === "postgres"
      ? await freshDatabase(ctx.options.postgresUrl, `loa_bench_${process.pid}_${o.repeat}`)
      : null;
  const base = {
    contentDir: content.dir,
    keysDir: ctx.keysDir,
    dataDir,
    workDir: dir,
    databaseUrl: db?.url,
  };
  const liveSet = new Set(o.receiver.live);
  const liveUsed = [...new Set(o.servers.filter((s) => liveSet.has(s)))];
  const expected = o.shared
    ? liveUsed.length
    : Array.from({ length: o.followers }, (_, k) => o.servers[k % o.servers.length]).filter(
        (s) => s !== undefined && liveSet.has(s),
      ).length;
  try {
    // First start without followers: the existing articles are reconciled into the
    // ledger and go to nobody, so that only the new article fans out later.
    const first = await startLoa({ ...base, label: `${label}-prime` });
    await waitForIdle(first.child.pid);
    await first.stop();

    const storage = await openStorage({ dataDir, databaseUrl: db?.url });
    try {
      const batch = o.backend === "postgres" ? 50 : 1;
      for (let n = 0; n < o.followers; n += batch) {
        const adds: Promise<boolean>[] = [];
        for (let k = n; k < Math.min(o.followers, n + batch); k++) {
          const origin = o.servers[k % o.servers.length] as string;
          const actorId = `${origin}/u/${k}`;
          adds.push(
            storage.store.addFollower({
              actorId,
              followId: `${actorId}/follows/1`,
              inbox: `${actorId}/inbox`,
              sharedInbox: o.shared ? `${origin}/inbox` : null,
              createdAt: new Date(),
            }),
          );
        }
        await Promise.all(adds);
      }
    } finally {
      await storage.close();
    }

    const profile = ctx.options.profile
      ? ["--cpu-prof", `--cpu-prof-dir=${join(ctx.workDir, "profiles", label)}`]
      : [];
    const loa = await startLoa({ ...base, label, nodeFlags: profile });
    try {
      await waitForIdle(loa.child.pid);
      await o.receiver.reset();
      const staging = join(dir, "new.md.tmp");
      await writeFile(
        staging,
        articleMarkdown(99_999, new Date(Date.now() - 1_000), "Tin mới: fan-out"),
      );
      const cpu0 = await cpuSeconds(loa.child.pid);
      const rcpu0 = await cpuSeconds(o.receiver.pid);
      const m0 = await machineCpu();
      const t0 = wallNow();
      await rename(staging, join(content.dir, "articles", "tin-moi-fan-out.md"));
      const limitMs = Math.max(60_000, o.followers * 30);
      let s = await o.receiver.stats();
      let lastProgress = wallNow();
      let lastCount = 0;
      let lastReport = t0;
      while (
        s.deliveries < expected &&
        wallNow() - t0 < limitMs &&
        wallNow() - lastProgress < 60_000
      ) {
        await sleep(100);
        s = await o.receiver.stats();
        if (wallNow() - lastReport >= 5_000) {
          lastReport = wallNow();
          ctx.log(`  … ${s.deliveries} delivered after ${Math.round((lastReport - t0) / 1000)} s`);
        }
        if (s.deliveries !== lastCount) {
          lastCount = s.deliveries;
          lastProgress = wallNow();
        }
      }
      const cpu1 = await cpuSeconds(loa.child.pid);
      const rcpu1 = await cpuSeconds(o.receiver.pid);
      const m1 = await machineCpu();
      // A moment more, so a duplicate delivery would show up in the counts.
      await sleep(1_000);
      s = await o.receiver.stats();
      const arrivals = arrivalsOf(await o.receiver.arrivals(), liveUsed, t0);
      const totalMs = s.lastAt !== null && s.deliveries >= expected ? s.lastAt - t0 : null;
      const run: FanoutRun = {
        case: o.case,
        repeat: o.repeat,
        backend: o.backend,
        followers: o.followers,
        servers: new Set(o.servers).size,
        deadServers: new Set(o.servers.filter((x) => !liveSet.has(x))).size,
        shared: o.shared,
        expected,
        delivered: s.deliveries,
        totalMs,
        firstMs: s.firstAt !== null ? s.firstAt - t0 : null,
        rate: totalMs ? s.deliveries / (totalMs / 1000) : null,
        serverCpuS: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
        receiverCpuS: rcpu0 !== null && rcpu1 !== null ? rcpu1 - rcpu0 : null,
        machineBusyS: m0 && m1 ? m1.busyS - m0.busyS : null,
        machineS: m0 && m1 ? m1.totalS - m0.totalS : null,
        arrivals,
        receiver: s,
      };
      const ms = (v: number | null) => (v === null ? "—" : `${Math.round(v)} ms`);
      ctx.log(
        `  ${s.deliveries}/${expected} delivered (${s.duplicates} duplicates) in ${ms(totalMs)}; first after ${ms(run.firstMs)}; arrival p50 ${ms(arrivals.p50)} p99 ${ms(arrivals.p99)} max ${ms(arrivals.max)}; CPU s: server ${run.serverCpuS?.toFixed(1) ?? "—"}, receiver ${run.receiverCpuS?.toFixed(1) ?? "—"}, machine ${run.machineBusyS?.toFixed(1) ?? "—"} of ${run.machineS?.toFixed(1) ?? "—"}; signatures ${s.verified} ok, ${s.rejected} rejected${s.rejectReasons.length ? ` (${s.rejectReasons.join("; ")})` : ""}`,
      );
      return run;
    } finally {
      await loa.stop();
    }
  } finally {
    await db?.drop();
  }
}
