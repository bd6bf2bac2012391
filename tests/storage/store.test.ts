import { describe } from "vitest";
import { backends } from "./backends.ts";
import { storeSuite } from "./store.suite.ts";

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`Store on ${backend.name}`, () => storeSuite(backend));
}
