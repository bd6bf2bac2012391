import type { BenchOptions, FanoutCase, Section } from "./context.ts";

const SECTIONS: readonly Section[] = ["feeds", "archive", "fanout", "conversation", "websub"];
const CASES: readonly FanoutCase[] = ["worst", "fediverse"];

export const USAGE = `npm run bench -- [flags]
  --quick              ~1 s per load cell, small archive and fan-out
  --only S[,S]         feeds | archive | fanout | conversation | websub (default: all)
  --sizes N,N,…        archive sizes in articles (default 10,1000,10000)
  --cases C[,C]        fan-out cases: worst | fediverse (default both)
  --followers N        worst fan-out case: followers, each on its own server (default 10000)
  --fediverse-followers N  fediverse case: followers (default 2000)
  --servers N          fediverse case: servers, one shared inbox each (default 500)
  --dead F             fediverse case: share of dead servers, half refuse, half hang (default 0.1)
  --repeat N           runs of each fan-out case (default 1)
  --duration S         seconds per load cell (default 5; whole seconds)
  --connections N      wrk connections (default 50)
  --threads N          wrk threads (default 1)
  --baselines B[,B]    nginx,node (default both)
  --no-postgres        fan-out on SQLite only
  --postgres URL       (default postgres://postgres@127.0.0.1:5432/test)
  --profile            run the server under test with --cpu-prof
  --feed-articles N    articles in the feeds section's content (default 100)
  --paths P[,P]        feeds section paths (default /rss.xml,/atom.xml,/feed.json,/,article,archive,tag;
                       article: the newest, archive: a month's Atom archive, tag: one tag's Atom feed)
  --no-save            write JSON only to --json, not bench/results/
  --keep               keep the temp work dir (logs, content, data)
  --json FILE          also write the results here`;

/** Parses the bench's flags; throws with the usage on anything unknown. */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const quick = argv.includes("--quick");
  const options: BenchOptions = {
    quick,
    only: [...SECTIONS],
    sizes: quick ? [10, 1000] : [10, 1000, 10000],
    followers: quick ? 1000 : 10_000,
    cases: [...CASES],
    fediFollowers: quick ? 400 : 2_000,
    fediServers: quick ? 100 : 500,
    deadShare: 0.1,
    repeat: 1,
    durationS: quick ? 1 : 5,
    connections: 50,
    threads: 1,
    feedArticles: 100,
    baselines: ["nginx", "node"],
    noPostgres: false,
    postgresUrl: "postgres://postgres@127.0.0.1:5432/test",
    profile: false,
    keep: false,
    paths: null,
    save: true,
    json: null,
  };
  const positive = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`${flag} needs a positive whole number\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case "--quick":
        break;
      case "--only": {
        const only = next().split(",") as Section[];
        for (const s of only)
          if (!SECTIONS.includes(s)) throw new Error(`unknown section ${s}\n${USAGE}`);
        options.only = only;
        break;
      }
      case "--sizes":
        options.sizes = next()
          .split(",")
          .map((s) => positive("--sizes", s));
        break;
      case "--followers":
        options.followers = positive(flag, next());
        break;
      case "--servers":
        options.fediServers = positive(flag, next());
        break;
      case "--fediverse-followers":
        options.fediFollowers = positive(flag, next());
        break;
      case "--dead": {
        const share = Number(next());
        if (!(share >= 0 && share < 1))
          throw new Error(`--dead needs a share from 0 to 0.99\n${USAGE}`);
        options.deadShare = share;
        break;
      }
      case "--repeat":
        options.repeat = positive(flag, next());
        break;
      case "--cases": {
        const cases = next().split(",") as FanoutCase[];
        for (const c of cases)
          if (!CASES.includes(c)) throw new Error(`unknown case ${c}\n${USAGE}`);
        options.cases = cases;
        break;
      }
      case "--duration":
        options.durationS = positive(flag, next());
        break;
      case "--connections":
        options.connections = positive(flag, next());
        break;
      case "--threads":
        options.threads = positive(flag, next());
        break;
      case "--baselines": {
        const b = next().split(",");
        for (const x of b)
          if (x !== "nginx" && x !== "node") throw new Error(`unknown baseline ${x}`);
        options.baselines = b as ("nginx" | "node")[];
        break;
      }
      case "--no-postgres":
        options.noPostgres = true;
        break;
      case "--postgres":
        options.postgresUrl = next();
        break;
      case "--profile":
        options.profile = true;
        break;
      case "--feed-articles":
        options.feedArticles = positive(flag, next());
        break;
      case "--paths":
        options.paths = next().split(",");
        break;
      case "--no-save":
        options.save = false;
        break;
      case "--keep":
        options.keep = true;
        break;
      case "--json":
        options.json = next();
        break;
      case "--help":
      case "-h":
        throw new Error(USAGE);
      default:
        throw new Error(`unknown flag ${flag}\n${USAGE}`);
    }
  }
  return options;
}
