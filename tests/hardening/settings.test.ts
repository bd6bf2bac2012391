/** The hardening settings: their defaults and the bounds an operator cannot go past. */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";

describe("hardening settings", () => {
  it("default to bounded fetches and a retry schedule that outlasts a long outage", () => {
    const config = loadConfig({});
    expect(config.inboxMaxBytes).toBe(1024 * 1024);
    expect(config.fetchTimeoutMs).toBe(10_000);
    expect(config.fetchMaxBytes).toBe(1024 * 1024);
    expect(config.deliveryRetryInitialMs).toBe(60_000);
    expect(config.deliveryRetryMaxMs).toBe(12 * 3600_000);
    expect(config.deliveryMaxAttempts).toBe(12);
    expect(config.allowPrivateAddress).toBe(false);
    // 1 min doubling, capped at 12 h: the retries span well over a day.
    let total = 0;
    for (let i = 0; i < config.deliveryMaxAttempts; i++) {
      total += Math.min(config.deliveryRetryInitialMs * 2 ** i, config.deliveryRetryMaxMs);
    }
    expect(total).toBeGreaterThan(24 * 3600_000);
  });

  it("refuses values that would switch a bound off", () => {
    for (const env of [
      { FETCH_TIMEOUT_MS: "0" },
      { FETCH_MAX_BYTES: "-1" },
      { FETCH_MAX_BYTES: "1e12" },
      { DELIVERY_MAX_ATTEMPTS: "0" },
      { DELIVERY_RETRY_INITIAL_MS: "soon" },
      { DELIVERY_RETRY_MAX_MS: "0" },
      { INBOX_MAX_BYTES: "999999999999" },
      { ALLOW_PRIVATE_ADDRESS: "maybe" },
    ]) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(ConfigError);
    }
  });
});
