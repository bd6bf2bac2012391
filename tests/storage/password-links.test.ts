import { describe } from "vitest";
import { backends } from "./backends.ts";
import { passwordLinksSuite } from "./password-links.suite.ts";

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`One-time password links on ${backend.name}`, () =>
    passwordLinksSuite(backend),
  );
}
