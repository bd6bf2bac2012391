import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";

/** Everything the server reads from its environment, parsed once. */
export interface Config {
  port: number;
  host: string;
  /** The public origin: every URL and ActivityPub id is built from it. */
  origin: URL;
  contentDir: string;
  keysDir: string;
  dataDir: string;
  /** When set, state lives in this PostgreSQL database (scale-out mode). */
  databaseUrl: string | undefined;
  /** Lets the server fetch from and deliver to loopback/private peers (dev/tests only). */
  allowPrivateAddress: boolean;
  /** How many of the newest articles the feeds carry. */
  feedLimit: number;
  /** Articles per page on the HTML index. */
  pageSize: number;
  /** The largest inbox request body accepted, in bytes. */
  inboxMaxBytes: number;
  /** Deliveries one process handles at once (shared among its delivery threads). */
  queueWorkers: number;
  /** Threads that deliver in `npm start` (the `all` role) beside the main thread, which delivers too. */
  deliveryThreads: number;
  /** The delivery threads run only while deliveries are due; nothing due for this long stops them. */
  deliveryThreadsIdleMs: number;
  /** Deliveries to one server each delivering thread makes at once. */
  deliveryMaxPerServer: number;
  /** How long a claimed delivery stays with a process that stops answering. */
  queueLeaseMs: number;
  /** First delay before a failed delivery is retried; doubles with each attempt (capped at 12 h). */
  deliveryRetryInitialMs: number;
  deliveryRetryMaxMs: number;
  /** Delivery attempts per inbox before giving up on it. */
  deliveryMaxAttempts: number;
  /** Bound on each outbound HTTP request (fetching a remote document or delivering). */
  fetchTimeoutMs: number;
  /** Bound on opening the connection (TCP and TLS) of an outbound request. */
  fetchConnectTimeoutMs: number;
  /** Bound on waiting for a peer's answer once the request is sent (and between its body's chunks). */
  fetchResponseTimeoutMs: number;
  /** The largest remote document (or error body) read from a peer, in bytes. */
  fetchMaxBytes: number;
  logLevel: "debug" | "info" | "warning" | "error";
  logFormat: "pretty" | "json";
  /** Port of the Prometheus `/metrics` listener; undefined: no metrics listener. */
  metricsPort: number | undefined;
  /** Address the metrics listener binds (loopback unless an operator says otherwise). */
  metricsHost: string;
  /** WebSub: the lease a subscriber gets without asking for one, in seconds. */
  websubLeaseDefaultS: number;
  /** WebSub: the longest lease granted; a longer `hub.lease_seconds` is cut to it. */
  websubLeaseMaxS: number;
  /** WebSub: live subscriptions one callback's registrable domain may hold (429 beyond). */
  websubMaxPerHost: number;
  /** WebSub: verifications of intent pending at once, in total (429 beyond). */
  websubMaxPending: number;
  /** WebSub: verifications pending at once for one registrable domain (429 beyond). */
  websubMaxPendingPerDomain: number;
  /** The newsroom's mail server (`smtp:` or `smtps:` URL); undefined: mail is off. */
  smtpUrl: URL | undefined;
  /** The newsroom's mail comes from this address. */
  mailFrom: string;
}

/** A setting an operator got wrong; the message names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name}=${raw} is not a whole number from ${min} to ${max}`);
  }
  return n;
}

function optionalInteger(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  return integer(env, name, min, min, max);
}

function flag(env: Env, name: string): boolean {
  const raw = (env[name] ?? "").toLowerCase();
  if (raw === "" || raw === "0" || raw === "false" || raw === "no") return false;
  if (raw === "1" || raw === "true" || raw === "yes") return true;
  throw new ConfigError(`${name}=${env[name]} should be 1 or 0`);
}

function choice<T extends string>(env: Env, name: string, options: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if ((options as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(`${name}=${raw} should be one of: ${options.join(", ")}`);
}

/** Parses `KEY=value` lines; `#` comments, optional quotes. Real environment wins. */
export function parseDotEnv(text: string): Env {
  const out: Env = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m?.[1]) continue;
    let value = m[2] ?? "";
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    out[m[1]] = value;
  }
  return out;
}

/**
 * Builds the configuration from an environment (by default `process.env` plus
 * `.env` in the working directory). Throws {@link ConfigError} on bad settings.
 */
export function loadConfig(env: Env = readProcessEnv()): Config {
  const port = integer(env, "PORT", 3000, 0, 65535);
  const originRaw = env.ORIGIN || `http://localhost:${port}`;
  let origin: URL;
  try {
    origin = new URL(originRaw);
  } catch {
    throw new ConfigError(`ORIGIN=${originRaw} is not a URL (e.g. https://news.example.vn)`);
  }
  if (origin.protocol !== "http:" && origin.protocol !== "https:") {
    throw new ConfigError(`ORIGIN=${originRaw} must be http:// or https://`);
  }
  if (origin.pathname !== "/" || origin.search || origin.hash) {
    throw new ConfigError(`ORIGIN=${originRaw} must be an origin only, without a path`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError("DATABASE_URL must start with postgres:// or postgresql://");
  }
  // 0 (any free port) makes no sense for a port Prometheus must be told about.
  const metricsPort = optionalInteger(env, "METRICS_PORT", 1, 65535);
  if (metricsPort === port) {
    throw new ConfigError(
      `METRICS_PORT=${metricsPort} is also PORT; give metrics a port of its own`,
    );
  }
  return {
    port,
    host: env.HOST || "0.0.0.0",
    origin: new URL(origin.origin),
    contentDir: resolve(env.CONTENT_DIR || "./content"),
    keysDir: resolve(env.KEYS_DIR || "./keys"),
    dataDir: resolve(env.DATA_DIR || "./data"),
    databaseUrl,
    allowPrivateAddress: flag(env, "ALLOW_PRIVATE_ADDRESS"),
    feedLimit: integer(env, "FEED_LIMIT", 50, 1, 1000),
    pageSize: integer(env, "PAGE_SIZE", 20, 1, 500),
    inboxMaxBytes: integer(env, "INBOX_MAX_BYTES", 1024 * 1024, 1024, 100 * 1024 * 1024),
    queueWorkers: integer(env, "QUEUE_WORKERS", DEFAULT_QUEUE_WORKERS, 1, 1024),
    deliveryThreads: integer(env, "DELIVERY_THREADS", defaultDeliveryThreads(), 0, 64),
    deliveryThreadsIdleMs: integer(env, "DELIVERY_THREADS_IDLE_MS", 60_000, 100, 86_400_000),
    deliveryMaxPerServer: integer(env, "DELIVERY_MAX_PER_SERVER", 4, 1, 1024),
    queueLeaseMs: integer(env, "QUEUE_LEASE_MS", 30_000, 500, 3_600_000),
    // 1 min doubling to 12 h over 12 attempts: about 1.7 days before giving up on an inbox.
    deliveryRetryInitialMs: integer(env, "DELIVERY_RETRY_INITIAL_MS", 60_000, 10, 3_600_000),
    deliveryRetryMaxMs: integer(env, "DELIVERY_RETRY_MAX_MS", 12 * 3_600_000, 10, 7 * 86_400_000),
    deliveryMaxAttempts: integer(env, "DELIVERY_MAX_ATTEMPTS", 12, 1, 100),
    fetchTimeoutMs: integer(env, "FETCH_TIMEOUT_MS", 10_000, 100, 300_000),
    fetchConnectTimeoutMs: integer(env, "FETCH_CONNECT_TIMEOUT_MS", 5_000, 100, 300_000),
    fetchResponseTimeoutMs: integer(env, "FETCH_RESPONSE_TIMEOUT_MS", 5_000, 100, 300_000),
    fetchMaxBytes: integer(env, "FETCH_MAX_BYTES", 1024 * 1024, 1024, 100 * 1024 * 1024),
    logLevel: choice(env, "LOG_LEVEL", ["debug", "info", "warning", "error"] as const, "info"),
    logFormat: choice(
      env,
      "LOG_FORMAT",
      ["pretty", "json"] as const,
      env.NODE_ENV === "production" ? "json" : "pretty",
    ),
    metricsPort,
    metricsHost: env.METRICS_HOST || "127.0.0.1",
    ...websubSettings(env),
    ...mailSettings(env, origin),
  };
}

/** A plain address: no display name, no spaces or angle brackets (nothing a header could be split on). */
const MAIL_ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/;

function mailSettings(env: Env, origin: URL) {
  const raw = env.SMTP_URL || undefined;
  let smtpUrl: URL | undefined;
  if (raw !== undefined) {
    try {
      smtpUrl = new URL(raw);
    } catch {
      // The URL may hold a password: name the variable, not the value.
      throw new ConfigError("SMTP_URL is not a URL (e.g. smtps://user:password@mail.example.vn)");
    }
    if ((smtpUrl.protocol !== "smtp:" && smtpUrl.protocol !== "smtps:") || !smtpUrl.hostname) {
      throw new ConfigError("SMTP_URL must be smtp://host[:port] or smtps://host[:port]");
    }
  }
  // An IPv6 origin's host (`[::1]`) is no mail domain.
  const fallback = /^[\w.-]+$/.test(origin.hostname) ? `loa@${origin.hostname}` : "loa@localhost";
  const mailFrom = env.NEWSROOM_MAIL_FROM || fallback;
  if (mailFrom.length > 254 || !MAIL_ADDRESS.test(mailFrom)) {
    throw new ConfigError(`NEWSROOM_MAIL_FROM=${mailFrom} is not an e-mail address`);
  }
  return { smtpUrl, mailFrom };
}

function websubSettings(env: Env) {
  // Ten days by default, at most thirty: a portal renews well before either.
  const websubLeaseMaxS = integer(env, "WEBSUB_LEASE_MAX_S", 30 * 86_400, 1, 365 * 86_400);
  const websubLeaseDefaultS = integer(env, "WEBSUB_LEASE_DEFAULT_S", 10 * 86_400, 1, 365 * 86_400);
  if (websubLeaseDefaultS > websubLeaseMaxS) {
    throw new ConfigError(
      `WEBSUB_LEASE_DEFAULT_S=${websubLeaseDefaultS} is longer than WEBSUB_LEASE_MAX_S=${websubLeaseMaxS}`,
    );
  }
  // Per registrable domain of the callback (the name is kept from when it was per host).
  const websubMaxPerHost = integer(env, "WEBSUB_MAX_PER_HOST", 100, 1, 1_000_000);
  const websubMaxPending = integer(env, "WEBSUB_MAX_PENDING", 1000, 1, 1_000_000);
  const websubMaxPendingPerDomain = integer(env, "WEBSUB_MAX_PENDING_PER_DOMAIN", 20, 1, 1_000_000);
  return {
    websubLeaseDefaultS,
    websubLeaseMaxS,
    websubMaxPerHost,
    websubMaxPending,
    websubMaxPendingPerDomain,
  };
}

/**
 * Deliveries in flight per process. Delivering is mostly waiting for peers
 * (50–300 ms an inbox, a dead one up to the timeouts), so far more than the
 * cores; measured in docs/performance.md.
 */
const DEFAULT_QUEUE_WORKERS = 256;

/**
 * One delivery thread per core but one: the main thread delivers too, beside
 * serving (each thread holds ~60 MiB of its own; measured in docs/performance.md).
 */
function defaultDeliveryThreads(): number {
  return Math.max(0, availableParallelism() - 1);
}

function readProcessEnv(): Env {
  const file = resolve(".env");
  const fromFile = existsSync(file) ? parseDotEnv(readFileSync(file, "utf8")) : {};
  return { ...fromFile, ...process.env };
}
