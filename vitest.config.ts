import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
    // A test that asserts nothing is a defect, not a pass.
    expect: { requireAssertions: true },
    testTimeout: 30_000,
    // In CI, also a machine-readable result, from which .ci/run prints its closing line.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: "test-results/vitest.json" },
    hookTimeout: 60_000,
  },
});
