/**
 * The one HTTP client every outbound request of the process goes through:
 * Fedify's document loader and key fetches, its deliveries, and the WebSub
 * hub's requests to callbacks all use Node's `fetch`, which takes its
 * dispatcher from the slot that the `undici` package's `setGlobalDispatcher`
 * fills (`Symbol.for("undici.globalDispatcher.1")`, shared on purpose with
 * Node's bundled undici, the same major version). The dispatcher set here:
 *
 * - connects only to public addresses, checking the address it connects to
 *   (`pinned-connect.ts`), unless `ALLOW_PRIVATE_ADDRESS`;
 * - gives up on a connection not made within the connect timeout, on an
 *   answer not started within the response timeout, and on a body silent for
 *   as long (`headersTimeout`, `bodyTimeout`);
 * - refuses compressed bodies and cuts every body at `FETCH_MAX_BYTES`
 *   (`bounded-response.ts`).
 */
import { getLogger } from "@logtape/logtape";
import { Agent, type Dispatcher, setGlobalDispatcher } from "undici";
import { boundedResponses } from "./bounded-response.ts";
import { type Lookup, pinnedConnector } from "./pinned-connect.ts";

const logger = getLogger(["loa", "net"]);
const INSTALLED = Symbol.for("loa.outboundAgent");

export interface OutboundAgentOptions {
  connectMs: number;
  responseMs: number;
  maxBytes: number;
  allowPrivate: boolean;
  /** Default: the system resolver (tests give their own). */
  lookup?: Lookup;
}

/** A dispatcher with every bound above; pass it as `fetch`'s `dispatcher` or install it. */
export function createOutboundAgent(options: OutboundAgentOptions): Dispatcher {
  const agent = new Agent({
    connect: pinnedConnector({
      timeoutMs: options.connectMs,
      allowPrivate: options.allowPrivate,
      lookup: options.lookup,
    }),
    headersTimeout: options.responseMs,
    bodyTimeout: options.responseMs,
  });
  return agent.compose(boundedResponses(options.maxBytes));
}

/** Makes {@link createOutboundAgent}'s dispatcher this thread's `fetch` dispatcher, once. */
export function installOutboundAgent(options: OutboundAgentOptions): void {
  const slots = globalThis as unknown as Record<PropertyKey, unknown>;
  if (slots[INSTALLED]) return;
  setGlobalDispatcher(createOutboundAgent(options));
  slots[INSTALLED] = true;
  logger.debug(
    "Outbound requests bounded: {connectMs} ms to connect, {responseMs} ms to answer, {maxBytes} bytes",
    {
      ...options,
      lookup: undefined,
    },
  );
}
