import { describe } from "vitest";
import { backends } from "./backends.ts";
import { picturesSuite } from "./pictures.suite.ts";

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`Pictures and avatars on ${backend.name}`, () =>
    picturesSuite(backend),
  );
}
