import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
    // A test that asserts nothing is a defect, not a pass.
    expect: { requireAssertions: true },
    testTimeout: 30_000,
    // Vitest's default on a 2-core machine is one file at a time (cores - 1); most files
    // here wait on real servers, processes and sockets rather than compute, so two at once
    // halve the wall time without starving either.
    maxWorkers: 2,
    // In CI, also a machine-readable result, from which .ci/run prints its closing line.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: "test-results/vitest.json" },
    hookTimeout: 60_000,
  },
});
