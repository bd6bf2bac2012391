import { describe } from "vitest";
import { backends } from "./backends.ts";
import { deliveriesSuite } from "./deliveries.suite.ts";

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`Delivery progress on ${backend.name}`, () =>
    deliveriesSuite(backend),
  );
}
