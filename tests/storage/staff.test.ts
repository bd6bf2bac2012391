import { describe } from "vitest";
import { backends } from "./backends.ts";
import { staffSuite } from "./staff.suite.ts";

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`Staff accounts and sessions on ${backend.name}`, () =>
    staffSuite(backend),
  );
}
