/**
 * One request from the hub to a subscriber's callback, through the hub's own
 * dispatcher (`net/outbound-agent.ts`: it connects only to public addresses,
 * checked at connect time, with connect and response timeouts and a byte
 * limit), within a time limit (`FETCH_TIMEOUT_MS`), and no redirects followed
 * (a 3xx is an answer like any other).
 */
import type { Dispatcher } from "undici";

export type Fetch = typeof globalThis.fetch;

export interface CallbackClient {
  /** The response, or why there is none (refused address, timeout, network error). */
  send(url: URL, init: RequestInit): Promise<Response | { error: string }>;
}

export function createCallbackClient(deps: {
  fetch: Fetch;
  dispatcher: Dispatcher;
  timeoutMs: number;
  userAgent: string;
}): CallbackClient {
  return {
    async send(url, init) {
      const headers = new Headers(init.headers);
      headers.set("User-Agent", deps.userAgent);
      try {
        // `dispatcher` is Node's (undici's) extension of RequestInit.
        const bounded = {
          ...init,
          headers,
          redirect: "manual",
          signal: AbortSignal.timeout(deps.timeoutMs),
          dispatcher: deps.dispatcher,
        } as RequestInit;
        return await deps.fetch(url, bounded);
      } catch (error) {
        const name = (error as { name?: unknown }).name;
        if (name === "TimeoutError" || name === "AbortError") {
          return { error: `no answer within ${deps.timeoutMs} ms` };
        }
        // fetch's "fetch failed" says little: the cause (a refused address, a reset) says why.
        const cause = (error as { cause?: unknown }).cause;
        const why = cause instanceof Error ? cause : error;
        return { error: why instanceof Error ? why.message : String(why) };
      }
    },
  };
}

/** Reads at most `max` bytes of a body as text, discarding the rest. */
export async function readSmallText(res: Response, max: number): Promise<string | null> {
  if (res.body === null) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        return null;
      }
      chunks.push(value);
    }
  } catch {
    return null;
  }
  return Buffer.concat(chunks).toString("utf8");
}
