import { describe } from "vitest";
import { backends } from "./backends.ts";
import { outboxSuite } from "./outbox.suite.ts";

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`The mail outbox on ${backend.name}`, () =>
    outboxSuite(backend),
  );
}
