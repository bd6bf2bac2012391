import { parseArgs } from "node:util";
import type { BenchOptions, FanoutCase, Section } from "./context.ts";

const SECTIONS: readonly Section[] = [
  "feeds",
  "archive",
  "fanout",
  "conversation",
  "websub",
  "newsroom",
  "memory",
];
const CASES: readonly FanoutCase[] = ["worst", "fediverse"];
const BASELINES: readonly ("nginx" | "node" | "control")[] = ["nginx", "node", "control"];
/** The control (a second bare server, for the noise floor) only when asked for. */
const DEFAULT_BASELINES: readonly ("nginx" | "node" | "control")[] = ["nginx", "node"];

export const USAGE = `npm run bench -- [flags]
  --quick              ~1 s per load cell, small archive and fan-out
  --only S[,S]         feeds | archive | fanout | conversation | websub | newsroom | memory (default: all)
  --sizes N,N,…        archive sizes in articles (default 10,1000,10000)
  --cases C[,C]        fan-out cases: worst | fediverse (default both)
  --followers N        worst fan-out case: followers, each on its own server (default 10000)
  --fediverse-followers N  fediverse case: followers (default 2000)
  --servers N          fediverse case: servers, one shared inbox each (default 500)
  --dead F             fediverse case: share of dead servers, half refuse, half hang (default 0.1)
  --repeat N           runs of each fan-out case (default 1)
  --duration S         seconds per load cell (default 5; whole seconds)
  --rounds N           feeds: N rounds, each on freshly started servers, a cell's servers measured
                       back to back; ratios are medians of the rounds' ratios (default 3, --quick 1)
  --no-pin             feeds: leave servers and wrk to the scheduler (default: servers on CPU 0,
                       wrk on the others, with taskset, when there are two CPUs or more)
  --connections N      wrk connections (default 50)
  --threads N          wrk threads (default 1)
  --baselines B[,B]    nginx,node,control (default nginx,node; control: a second bare node:http
                       process measured against the first, the run's own noise floor)
  --no-postgres        fan-out on SQLite only
  --postgres URL       (default postgres://postgres@127.0.0.1:5432/test)
  --profile            run the server under test with --cpu-prof
  --feed-articles N    articles in the feeds section's content (default 100)
  --newsroom-articles N  newsroom section: articles in the store, and as files beside (default 10000)
  --publish-runs N     newsroom section: articles published to time page and first delivery (default 5)
  --paths P[,P]        feeds section paths (default /rss.xml,/atom.xml,/feed.json,/,article,archive,tag,tagpage;
                       article: the newest, archive: a month's Atom archive, tag: one tag's Atom feed,
                       tagpage: that tag's page); each is also set beside /rss.xml's cell
  --no-save            write JSON only to --json, not bench/results/
  --keep               keep the temp work dir (logs, content, data)
  --json FILE          also write the results here`;

/** A flag's value as a positive whole number, or the usage. */
function positive(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${flag} needs a positive whole number\n${USAGE}`);
  return n;
}

/** A comma-separated flag whose every item must be one of `allowed`. */
function oneOf<T extends string>(flag: string, v: string, allowed: readonly T[]): T[] {
  const items = v.split(",");
  for (const item of items) {
    if (!allowed.includes(item as T)) throw new Error(`unknown ${flag} value ${item}\n${USAGE}`);
  }
  return items as T[];
}

/** Parses the bench's flags (`node:util` `parseArgs`); throws with the usage on anything unknown. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  if (values.help) throw new Error(USAGE);
  const quick = values.quick === true;
  const number = (flag: keyof typeof values, fallback: number) => {
    const v = values[flag];
    return typeof v === "string" ? positive(`--${flag}`, v) : fallback;
  };
  let deadShare = 0.1;
  if (values.dead !== undefined) {
    deadShare = Number(values.dead);
    if (!(deadShare >= 0 && deadShare < 1)) {
      throw new Error(`--dead needs a share from 0 to 0.99\n${USAGE}`);
    }
  }
  return {
    quick,
    only: values.only ? oneOf("--only", values.only, SECTIONS) : [...SECTIONS],
    sizes: values.sizes
      ? values.sizes.split(",").map((s) => positive("--sizes", s))
      : quick
        ? [10, 1000]
        : [10, 1000, 10000],
    followers: number("followers", quick ? 1000 : 10_000),
    cases: values.cases ? oneOf("--cases", values.cases, CASES) : [...CASES],
    fediFollowers: number("fediverse-followers", quick ? 400 : 2_000),
    fediServers: number("servers", quick ? 100 : 500),
    deadShare,
    repeat: number("repeat", 1),
    durationS: number("duration", quick ? 1 : 5),
    rounds: number("rounds", quick ? 1 : 3),
    pin: values["no-pin"] !== true,
    connections: number("connections", 50),
    threads: number("threads", 1),
    feedArticles: number("feed-articles", 100),
    newsroomArticles: number("newsroom-articles", quick ? 1_000 : 10_000),
    publishRuns: number("publish-runs", quick ? 3 : 5),
    baselines: values.baselines
      ? oneOf("--baselines", values.baselines, BASELINES)
      : [...DEFAULT_BASELINES],
    noPostgres: values["no-postgres"] === true,
    postgresUrl: values.postgres ?? "postgres://postgres@127.0.0.1:5432/test",
    profile: values.profile === true,
    keep: values.keep === true,
    paths: values.paths ? values.paths.split(",") : null,
    save: values["no-save"] !== true,
    json: values.json ?? null,
  };
}

function parse(argv: readonly string[]) {
  const text = { type: "string" } as const;
  const flag = { type: "boolean" } as const;
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      quick: flag,
      only: text,
      sizes: text,
      cases: text,
      followers: text,
      "fediverse-followers": text,
      servers: text,
      dead: text,
      repeat: text,
      duration: text,
      rounds: text,
      connections: text,
      threads: text,
      baselines: text,
      "no-postgres": flag,
      postgres: text,
      profile: flag,
      "feed-articles": text,
      "newsroom-articles": text,
      "publish-runs": text,
      paths: text,
      "no-save": flag,
      "no-pin": flag,
      keep: flag,
      json: text,
      help: { type: "boolean", short: "h" },
    },
  });
}
