import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { openStorage } from "../src/storage/open.ts";
import { articleMarkdown, generateContent } from "./articles.ts";
import type { Context } from "./context.ts";
import { cpuSeconds, start, waitForIdle } from "./processes.ts";
import type { ReceiverStats } from "./receiver.ts";
import { figure } from "./report.ts";
import { ROOT, startLoa } from "./server.ts";
import { measureSigning, type SigningCeiling } from "./signing.ts";

/** One article to N followers on one backend, one inbox layout. */
export interface FanoutRun {
  backend: "sqlite" | "postgres";
  layout: "individual" | "shared";
  followers: number;
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
  receiver: ReceiverStats;
}

export interface FanoutResult {
  ceiling: SigningCeiling;
  runs: FanoutRun[];
  skipped: string[];
}

const wallNow = () => performance.timeOrigin + performance.now();

/** Waits for the receiver's `{"ports":[…]}` line in its log. */
async function receiverPorts(logFile: string): Promise<number[]> {
  for (let i = 0; i < 200; i++) {
    const text = await readFile(logFile, "utf8").catch(() => "");
    const line = text.split("\n").find((l) => l.startsWith('{"ports"'));
    if (line) return (JSON.parse(line) as { ports: number[] }).ports;
    await sleep(50);
  }
  throw new Error(`the receiver did not start; see ${logFile}`);
}

async function stats(origin: string): Promise<ReceiverStats> {
  const res = await fetch(`${origin}/_stats`, { signal: AbortSignal.timeout(10_000) });
  return (await res.json()) as ReceiverStats;
}

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
 * One new article to `followers` followers, each on its own inbox and then on
 * `servers` shared inboxes, on SQLite and on PostgreSQL, against the RSA-2048
 * signing ceiling measured now.
 */
export async function runFanout(ctx: Context): Promise<FanoutResult> {
  const { followers, servers } = ctx.options;
  ctx.log("fanout: measuring the signing ceiling (RSA-2048, one core)");
  const ceiling = measureSigning(ctx.options.quick ? 500 : 2_000);
  ctx.log(
    `  ${Math.round(ceiling.signsPerSecondPerCore)} signs/s/core × ${ceiling.cores} = ${Math.round(ceiling.signsPerSecond)} signs/s`,
  );
  const receiver = start(
    process.execPath,
    [join(ROOT, "bench", "receiver-main.ts"), String(servers), followers >= 1000 ? "100" : "10"],
    { logFile: join(ctx.workDir, "receiver.log") },
  );
  const runs: FanoutRun[] = [];
  const skipped: string[] = [];
  try {
    const ports = await receiverPorts(join(ctx.workDir, "receiver.log"));
    const receiverOrigins = ports.map((p) => `http://127.0.0.1:${p}`);
    const backends: ("sqlite" | "postgres")[] = ["sqlite"];
    if (!ctx.options.noPostgres) {
      if (await postgresUp(ctx.options.postgresUrl)) backends.push("postgres");
      else skipped.push(`postgres: no server answers at ${ctx.options.postgresUrl}`);
    }
    for (const backend of backends) {
      for (const layout of ["individual", "shared"] as const) {
        ctx.log(
          `fanout: ${backend}, ${followers} followers on ${servers} servers, ${layout === "shared" ? "one shared inbox a server" : "one inbox each"}`,
        );
        await fetch(`${receiverOrigins[0]}/_reset`, { method: "POST" });
        runs.push(
          await fanoutOnce(ctx, {
            backend,
            layout,
            receiverOrigins,
            label: `${backend}-${layout}`,
          }),
        );
      }
    }
  } finally {
    await receiver.stop();
  }
  for (const s of skipped) ctx.log(`  skipped ${s}`);
  addFanoutFigures(ctx, ceiling, runs);
  return { ceiling, runs, skipped };
}

interface OnceOptions {
  backend: "sqlite" | "postgres";
  layout: "individual" | "shared";
  /** One origin per fake server; follower k lives on origin k mod length. */
  receiverOrigins: string[];
  label: string;
}

async function fanoutOnce(ctx: Context, o: OnceOptions): Promise<FanoutRun> {
  const { followers } = ctx.options;
  const dir = join(ctx.workDir, `fanout-${o.label}`);
  const content = await generateContent(join(dir, "content"), 3);
  const dataDir = join(dir, "data");
  const db =
    o.backend === "postgres"
      ? await freshDatabase(ctx.options.postgresUrl, `loa_bench_${process.pid}_${o.layout}`)
      : null;
  const base = {
    contentDir: content.dir,
    keysDir: ctx.keysDir,
    dataDir,
    workDir: dir,
    databaseUrl: db?.url,
  };
  try {
    // First start without followers: the existing articles are reconciled into the
    // ledger and go to nobody, so that only the new article fans out later.
    const first = await startLoa({ ...base, label: `${o.label}-prime` });
    await waitForIdle(first.child.pid);
    await first.stop();

    const storage = await openStorage({ dataDir, databaseUrl: db?.url });
    try {
      const batch = o.backend === "postgres" ? 50 : 1;
      for (let n = 0; n < followers; n += batch) {
        const adds: Promise<boolean>[] = [];
        for (let k = n; k < Math.min(followers, n + batch); k++) {
          const origin = o.receiverOrigins[k % o.receiverOrigins.length] as string;
          const actorId = `${origin}/u/${k}`;
          adds.push(
            storage.store.addFollower({
              actorId,
              followId: `${actorId}/follows/1`,
              inbox: `${actorId}/inbox`,
              sharedInbox: o.layout === "shared" ? `${origin}/inbox` : null,
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
      ? ["--cpu-prof", `--cpu-prof-dir=${join(ctx.workDir, "profiles")}`]
      : [];
    const loa = await startLoa({ ...base, label: o.label, nodeFlags: profile });
    try {
      await waitForIdle(loa.child.pid);
      const expected =
        o.layout === "shared" ? Math.min(o.receiverOrigins.length, followers) : followers;
      const staging = join(dir, "new.md.tmp");
      await writeFile(
        staging,
        articleMarkdown(99_999, new Date(Date.now() - 1_000), "Tin mới: fan-out"),
      );
      const cpu0 = await cpuSeconds(loa.child.pid);
      const t0 = wallNow();
      await rename(staging, join(content.dir, "articles", "tin-moi-fan-out.md"));
      const limitMs = Math.max(60_000, followers * 30);
      let s = await stats(o.receiverOrigins[0] as string);
      let lastProgress = wallNow();
      let lastCount = 0;
      let lastReport = t0;
      while (
        s.deliveries < expected &&
        wallNow() - t0 < limitMs &&
        wallNow() - lastProgress < 60_000
      ) {
        await sleep(100);
        s = await stats(o.receiverOrigins[0] as string);
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
      // A moment more, so a duplicate delivery would show up in the counts.
      await sleep(1_000);
      s = await stats(o.receiverOrigins[0] as string);
      const totalMs = s.lastAt !== null && s.deliveries >= expected ? s.lastAt - t0 : null;
      const run: FanoutRun = {
        backend: o.backend,
        layout: o.layout,
        followers,
        expected,
        delivered: s.deliveries,
        totalMs,
        firstMs: s.firstAt !== null ? s.firstAt - t0 : null,
        rate: totalMs ? s.deliveries / (totalMs / 1000) : null,
        serverCpuS: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
        receiver: s,
      };
      ctx.log(
        `  ${s.deliveries}/${expected} delivered (${s.duplicates} duplicates) in ${totalMs === null ? "—" : Math.round(totalMs)} ms; first after ${Math.round(run.firstMs ?? Number.NaN)} ms; signatures ${s.verified} ok, ${s.rejected} rejected${s.rejectReasons.length ? ` (${s.rejectReasons.join("; ")})` : ""}`,
      );
      return run;
    } finally {
      await loa.stop();
    }
  } finally {
    await db?.drop();
  }
}

/** Figures for the table (exported so a saved result can be re-tabled). */
export function addFanoutFigures(
  ctx: Context,
  ceiling: SigningCeiling,
  runs: readonly FanoutRun[],
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
    const worst = r.layout === "individual";
    const name = `fan-out ${r.backend} ${r.followers.toLocaleString("en-US")} followers, ${r.expected.toLocaleString("en-US")} ${worst ? "inboxes" : "shared inboxes"}`;
    ctx.figures.push(
      figure({
        section: "fanout",
        name: `${name}: file → last delivery`,
        unit: "ms",
        value: r.totalMs,
      }),
      figure({
        section: "fanout",
        name: `${name}: deliveries/s`,
        unit: "/s",
        value: r.rate,
        baselineName: `signing ceiling (×${ceiling.cores})`,
        baseline: ceiling.signsPerSecond,
        target: worst
          ? { text: "≥ 0.5× ceiling", test: (_, ratio) => ratio !== null && ratio >= 0.5 }
          : undefined,
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
    );
  }
}
