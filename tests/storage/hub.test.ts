import { describe } from "vitest";
import { backends } from "./backends.ts";
import { hubSuite } from "./hub.suite.ts";

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`WebSub subscriptions on ${backend.name}`, () =>
    hubSuite(backend),
  );
}
