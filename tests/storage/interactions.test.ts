import { describe } from "vitest";
import { backends } from "./backends.ts";
import { blocksSuite } from "./blocks.suite.ts";
import { interactionListsSuite } from "./interaction-lists.suite.ts";
import { interactionsSuite } from "./interactions.suite.ts";
import { moderationAuditSuite } from "./moderation-audit.suite.ts";

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`Interactions on ${backend.name}`, () => {
    describe("replies, mentions, likes and boosts", () => interactionsSuite(backend));
    describe("lists", () => interactionListsSuite(backend));
    describe("blocks", () => blocksSuite(backend));
    describe("decisions and blocks with their audit records", () => moderationAuditSuite(backend));
  });
}
