import { describe } from "vitest";
import { articlesSuite } from "./articles.suite.ts";
import { backends } from "./backends.ts";
import { publishedMarksSuite } from "./published-marks.suite.ts";

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`Newsroom articles and revisions on ${backend.name}`, () => {
    articlesSuite(backend);
    publishedMarksSuite(backend);
  });
}
