import { describe, expect, it } from "vitest";
import { freePort } from "../../tests/helpers/ports.ts";
import type { ContentSource } from "../content/types.ts";
import type { Store } from "../storage/store.ts";
import { type InstrumentsDeps, startInstruments } from "./instruments.ts";

// Neither is read unless metrics are scraped; a scrape is the endpoints test's.
const idle = {
  store: {} as Store,
  queue: { getDepth: async () => ({ queued: 0, ready: 0, delayed: 0 }) },
  oldestDueSeconds: async () => 0,
  content: {} as ContentSource,
  clock: () => new Date(),
  consumes: false,
} satisfies Omit<InstrumentsDeps, "config">;

describe("the process's instruments", () => {
  it("keep no metrics when METRICS_PORT is unset: nothing could read them", async () => {
    const instruments = await startInstruments({
      ...idle,
      config: { metricsPort: undefined, metricsHost: "127.0.0.1" },
    });
    expect(instruments.metrics).toBeNull();
    expect(instruments.metricsAddress).toBeNull();
    await instruments.close();
  });

  it("keep them, and serve them, when it is set", async () => {
    const port = await freePort();
    const instruments = await startInstruments({
      ...idle,
      config: { metricsPort: port, metricsHost: "127.0.0.1" },
    });
    try {
      expect(instruments.metrics).not.toBeNull();
      instruments.metrics?.observeRequest("/", "GET", 200, 0.001);
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^loa_http_requests_total\{[^}]*route="\/"[^}]*\} 1$/m);
    } finally {
      await instruments.close();
    }
  });
});
