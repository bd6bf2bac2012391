import { describe } from "vitest";
import { auditAtomicSuite } from "./audit-atomic.suite.ts";
import { backends } from "./backends.ts";
import { blocksSuite } from "./blocks.suite.ts";
import { interactionListsSuite } from "./interaction-lists.suite.ts";
import { interactionsSuite } from "./interactions.suite.ts";

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`Interactions on ${backend.name}`, () => {
    describe("replies, mentions, likes and boosts", () => interactionsSuite(backend));
    describe("lists", () => interactionListsSuite(backend));
    describe("blocks", () => blocksSuite(backend));
    describe("decisions, blocks and pictures with their audit records", () =>
      auditAtomicSuite(backend));
  });
}
