import { defineConfig } from "vitest/config";

// Evaluations on the public datasets (../shared/datasets): slow, so apart from the unit tests.
export default defineConfig({
  test: { include: ["eval/**/*.eval.ts"], testTimeout: 120_000 },
});
