/**
 * One request from the hub to a subscriber's callback: the address guard
 * first, a time limit (`FETCH_TIMEOUT_MS`), and no redirects followed (a 3xx
 * is an answer like any other, so a callback cannot bounce the hub onto an
 * address the guard would have refused). The process's global `fetch` is
 * already bounded in size by `federation/outbound-fetch.ts`.
 */
import type { AddressGuard } from "./address.ts";

export type Fetch = typeof globalThis.fetch;

export interface CallbackClient {
  /** The response, or why there is none (refused address, timeout, network error). */
  send(url: URL, init: RequestInit): Promise<Response | { error: string }>;
}

export function createCallbackClient(deps: {
  fetch: Fetch;
  guard: AddressGuard;
  timeoutMs: number;
  userAgent: string;
}): CallbackClient {
  return {
    async send(url, init) {
      const refusal = await deps.guard.refusal(url);
      if (refusal !== null) return { error: `refused: ${refusal}` };
      const headers = new Headers(init.headers);
      headers.set("User-Agent", deps.userAgent);
      try {
        return await deps.fetch(url, {
          ...init,
          headers,
          redirect: "manual",
          signal: AbortSignal.timeout(deps.timeoutMs),
        });
      } catch (error) {
        const name = (error as { name?: unknown }).name;
        if (name === "TimeoutError" || name === "AbortError") {
          return { error: `no answer within ${deps.timeoutMs} ms` };
        }
        return { error: error instanceof Error ? error.message : String(error) };
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
