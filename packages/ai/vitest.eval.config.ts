import { defineConfig } from "vitest/config";

// Evaluations on the public datasets (../shared/datasets): slower than unit tests, run on demand.
export default defineConfig({
  test: {
    include: ["eval/**/*.eval.ts"],
    testTimeout: 120_000,
  },
});
