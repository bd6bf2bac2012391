import type { Figure } from "./report.ts";

export type Section =
  | "feeds"
  | "archive"
  | "fanout"
  | "conversation"
  | "websub"
  | "newsroom"
  | "memory";

/** `worst`: each follower on its own instant server; `fediverse`: slow and dead servers. */
export type FanoutCase = "worst" | "fediverse";

/** The bench's flags, parsed (see `bench/harness/options.ts`). */
export interface BenchOptions {
  quick: boolean;
  only: Section[];
  /** Archive sizes (articles). */
  sizes: number[];
  /** Followers of the worst fan-out case, each on its own server. */
  followers: number;
  /** Fan-out cases to run. */
  cases: FanoutCase[];
  /** Followers and servers (one shared inbox each) of the fediverse case. */
  fediFollowers: number;
  fediServers: number;
  /** Share of the fediverse case's servers that are dead (half refuse, half hang). */
  deadShare: number;
  /** Runs of each fan-out case. */
  repeat: number;
  /** Seconds per load cell. */
  durationS: number;
  /**
   * Feeds section: this many rounds, each on freshly started servers (one Loa
   * process can run a fifth slower than the next start of the same build), each
   * cell's servers measured back to back, in turn order reversed from cell to
   * cell; a ratio is the median of the rounds' own ratios. Newsroom section: each
   * cell this many times, the servers taking turns, the median kept.
   */
  rounds: number;
  /** Feeds section: servers on one CPU, wrk on the others (`--no-pin` to leave them free). */
  pin: boolean;
  connections: number;
  threads: number;
  /** Articles in the feeds section's content. */
  feedArticles: number;
  /** Newsroom section: articles on each side (store, files). */
  newsroomArticles: number;
  /** Newsroom section: articles published to time the page and the first delivery. */
  publishRuns: number;
  /** Baselines to run in the feeds section. */
  baselines: ("nginx" | "node" | "control")[];
  /** Skip PostgreSQL in the fan-out. */
  noPostgres: boolean;
  postgresUrl: string;
  /** Run the server under test with `--cpu-prof` (profiles land in the work dir). */
  profile: boolean;
  /** Keep the temp work dir (logs, generated content, data) after the run. */
  keep: boolean;
  /**
   * Feeds section paths; null for all seven ("article" stands for the newest
   * article, "archive" for a month's Atom archive, "tag" for one tag's Atom feed).
   */
  paths: string[] | null;
  /** Write to `bench/results/` (the default). */
  save: boolean;
  json: string | null;
}

/** What every section gets: options, a temp work dir, shared keys, and a logger. */
export interface Context {
  options: BenchOptions;
  workDir: string;
  /** One key pair for every server started, so start-up never includes key generation. */
  keysDir: string;
  log(line: string): void;
  figures: Figure[];
}
