/**
 * Separate connect and response timeouts for every outbound request.
 *
 * Why through Node's own HTTP client: the whole-request bound of
 * `outbound-fetch.ts` cannot tell a server that never accepts a connection
 * (a dead host whose packets are dropped) from one that accepts and never
 * answers, nor from a slow body; `fetch` exposes no connect phase. Node's
 * `fetch` is undici, whose dispatcher (the `Agent` behind every request)
 * knows both: `connect.timeout` (TCP and TLS) and `headersTimeout` /
 * `bodyTimeout` (waiting for the answer, and between its body's chunks).
 * Node has no public way to configure its built-in dispatcher, and the
 * `undici` package found in node_modules is another major version (6, where
 * Node 24 bundles 7), so the agent is made with the constructor of the one
 * Node created, found where undici keeps it (`Symbol.for(
 * "undici.globalDispatcher.1")`, the documented way libraries share a
 * dispatcher with Node's fetch).
 */
import { getLogger } from "@logtape/logtape";

const logger = getLogger(["loa", "federation", "fetch"]);

const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");
const INSTALLED = Symbol.for("loa.connectionTimeouts");

/** Bounds for {@link installConnectionTimeouts}, in milliseconds. */
export interface ConnectionTimeouts {
  connectMs: number;
  responseMs: number;
}

type AgentLike = { close?: () => Promise<void> } & Record<PropertyKey, unknown>;
type AgentClass = new (options: Record<string, unknown>) => AgentLike;

/**
 * Replaces the dispatcher of this thread's `fetch` by one with the given
 * connect and response timeouts, once (later calls report what is in place).
 * Returns false, with a warning, if Node's fetch does not expose one; requests
 * are then bounded by the whole-request timeout alone.
 */
export function installConnectionTimeouts(limits: ConnectionTimeouts): boolean {
  const slots = globalThis as unknown as Record<PropertyKey, unknown>;
  if (slots[INSTALLED]) return true;
  if (slots[GLOBAL_DISPATCHER] === undefined) {
    // Node loads undici, which creates its dispatcher, on the first fetch; a
    // data: URL does that without any network.
    void fetch("data:,").catch(() => {});
  }
  const current = slots[GLOBAL_DISPATCHER] as AgentLike | undefined;
  const Agent = current?.constructor as AgentClass | undefined;
  if (current === undefined || typeof Agent !== "function" || Agent.name !== "Agent") {
    logger.warning("Node's fetch exposes no dispatcher; only FETCH_TIMEOUT_MS bounds requests");
    return false;
  }
  slots[GLOBAL_DISPATCHER] = new Agent({
    connect: { timeout: limits.connectMs },
    headersTimeout: limits.responseMs,
    bodyTimeout: limits.responseMs,
  });
  slots[INSTALLED] = true;
  void current.close?.().catch(() => {});
  return true;
}
