import { describe } from "vitest";
import { auditSuite } from "./audit.suite.ts";
import { backends } from "./backends.ts";

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`The audit trail on ${backend.name}`, () =>
    auditSuite(backend),
  );
}
