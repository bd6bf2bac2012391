import type { LedgerEntry } from "../storage/store.ts";

/**
 * What Fedify hands every dispatcher of one request (its `contextData`): a
 * per-request cache, made fresh by the middleware for each request. Fedify
 * calls the outbox's counter and its page dispatcher separately; both read
 * the same entries, so the ledger is read once per request.
 */
export interface RequestData {
  outboxEntries?: Promise<LedgerEntry[]>;
}

export function newRequestData(): RequestData {
  return {};
}
