import { describe } from "vitest";
import { backends } from "./backends.ts";
import { kvSuite } from "./kv.suite.ts";

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`Fedify KvStore on ${backend.name}`, () => kvSuite(backend));
}
